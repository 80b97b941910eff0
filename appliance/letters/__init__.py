"""The letter engine: catalog (letters/*.toml as data), eligibility, numbering, register, rendering
(PDF and ESC/POS from one letter model) and the signed, offline-verifiable QR. No hardware, no UI."""
