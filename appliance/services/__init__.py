"""Services: what the UI, the CLI and tests drive, with no Kivy and no hardware imported.

- `kiosk`    the resident's session: letter → NIK → second factor → confirm → fields → preview → print,
             with the lockout and the global rate limit against guessing.
- `operator` the operator PIN (argon2 hash in the data folder) and the unit's restart/shut-down commands.
- `usb`      the USB stick watcher (a mount folder polled off the UI thread).
"""
