"""What stands behind the letters once printed: the register (Buku Agenda), the village's keys, checking a
letter's QR and the verification page. `semenit register / keys / verify / verify-page` and the self-test
call these through `Unit.records`; none of them opens the register or a key file itself.

Nothing here needs the stores or the printers, so a unit opened with no area serves them all (a damaged
resident file or a missing printer never stops the office from checking a letter). Each use case returns
plain values for the shell to print; its words come from the catalog in the shell or in letters/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.config import Settings

if TYPE_CHECKING:
    from appliance.letters.register import Anchor, Register, VerifyReport
    from appliance.letters.verify import VerifyResult
    from appliance.village import VillageProfile


@dataclass(frozen=True)
class RegisterExport:
    xlsx: Path
    csv: Path
    letters: int
    agenda_xlsx: Path  # the Permendagri 47/2016 Buku Agenda, written beside the export
    agenda_csv: Path


@dataclass(frozen=True)
class VillageKey:
    folder: Path
    fingerprint: str
    created: bool = False


@dataclass(frozen=True)
class VerifyPage:
    path: Path
    fingerprint: str
    url: str


class LetterRecords:
    def __init__(self, settings: Settings, home: Path):
        self.settings = settings
        self.home = Path(home)

    @cached_property
    def register(self) -> Register:
        """The letter register, read without the letters area (no catalog, no printer)."""
        from appliance.letters.register import Register

        return Register(self.home)

    # --- the register --------------------------------------------------------------------------------
    def export_register(self, dest: str | Path) -> RegisterExport:
        """The register as .xlsx and .csv in `dest`, and the Buku Agenda beside it. OSError as it comes."""
        from appliance.letters.export import agenda_paths, export_register

        xlsx, csv_path, count = export_register(self.register, dest)
        agenda_xlsx, agenda_csv = agenda_paths(xlsx)
        return RegisterExport(xlsx, csv_path, count, agenda_xlsx, agenda_csv)

    def register_anchor(self, day: date, village: VillageProfile) -> tuple[Anchor, list[str]]:
        """Today's short code of the register's head (noted), and the lines that show it for the paper file,
        for the village's secretary to sign."""
        from appliance.letters.register import anchor_lines
        from appliance.services.day_summary import secretary_title

        text = day.isoformat()
        anchor = self.register.anchor(text)
        return anchor, anchor_lines(anchor, text, secretary_title(village))

    def verify_register(self, anchors: list[Anchor]) -> VerifyReport:
        """Whether any entry was edited, removed, moved or cut off (against the paper codes, if given)."""
        return self.register.verify(anchors)

    # --- the village's keys --------------------------------------------------------------------------
    def init_keys(self) -> VillageKey:
        """The village's signing key pair and the register's chaining key: made when missing, else kept."""
        from appliance.letters import signing
        from appliance.letters.register import mac_key

        _private, public, created = signing.ensure_keypair(self.home)
        mac_key(self.home)
        return VillageKey(signing.key_dir(self.home), signing.fingerprint(public), created)

    def village_key(self) -> VillageKey | None:
        """The key pair as it is, read only (the self-test never creates one); None when either half is
        missing."""
        from appliance.letters import signing

        public = signing.load_public(self.home)
        folder = signing.key_dir(self.home)
        if public is None or not (folder / signing.PRIVATE_NAME).exists():
            return None
        return VillageKey(folder, signing.fingerprint(public))

    def public_key_pem(self) -> str:
        from appliance.letters import signing

        return signing.public_pem(self.home)

    # --- checking a letter ---------------------------------------------------------------------------
    def verify_letter(self, qr_text: str) -> VerifyResult:
        """Is this QR text a letter this village signed (and, where the register holds it, this one)?"""
        from appliance.letters.verify import verify_letter

        return verify_letter(self.home, qr_text)

    def write_verify_page(self, out: str | Path) -> VerifyPage:
        """The static verification page (one HTML file) with this village's public key."""
        from appliance.letters import signing
        from appliance.letters.verify_page import write_page

        path = write_page(self.settings, self.home, Path(out))
        public = signing.load_public(self.home)
        return VerifyPage(path, signing.fingerprint(public) if public is not None else "-",
                          signing.page_url(self.settings))
