# shellcheck shell=bash
# Sourced by provision.sh: the unit's promises in a village office (issue 16). The files themselves (NTP
# and clock settings, the USB export helper's units, the CUPS queue maker) are in files/ and installed by
# step_system_files; this step enables what must run.
#   systemd-timesyncd               NTP where there is a network; the saved clock across power cuts
#   systemd-time-wait-sync.service  boot waits for NTP, 45 s at most (drop-in in files/)
#   semenit-usb-export.path         the kiosk's requests for a short read-write mount of the stick
OFFICE_UNITS=(systemd-timesyncd.service systemd-time-wait-sync.service semenit-usb-export.path)

step_office() {
  local unit state
  for unit in "${OFFICE_UNITS[@]}"; do
    state=$(in_root systemctl is-enabled "$unit" 2>/dev/null || true)
    [ "$state" = enabled ] && continue
    if [ -z "$state" ] && [ "$DRY_RUN" = 0 ]; then
      say "skip: $unit is not installed (Debian package systemd-timesyncd): not enabled"
      continue
    fi
    change "enable $unit"
    [ "$DRY_RUN" = 1 ] || in_root systemctl enable --quiet "$unit"
  done
}
