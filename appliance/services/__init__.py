"""Services: the application layer the kiosk, the CLI and the self-test drive, with no Kivy and no hardware
library imported (ARCHITECTURE.md says where each use case lives).

- `unit`             the unit built from its settings, and the use cases as its methods: identify, issue and
                     follow a letter, take a queue number, plan/commit an import, the operator PIN, the state
- `status`           ONE rule for the status light and the screen's banner (`unit_state`, `StatusIndicator`)
- `kiosk`            the resident's session: letter → NIK → second factor → confirm → fields → preview → print,
                     with the lockout and the global rate limit against guessing
- `operator`         the operator PIN (argon2 hash in the data folder) and the unit's restart/shut-down commands
- `operator_actions` the operator menu's actions: export to the stick, reprint, void, printer test, queue reset
- `usb`              the USB stick watcher (a mount folder polled off the UI thread)
- `errors`           what a person reads of a failure (`user_message`)
"""
