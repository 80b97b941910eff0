#!/bin/bash
# Turn a fresh Raspberry Pi OS Lite (64-bit) into a Semenit kiosk unit, or do the same to a root
# filesystem in a folder (--root: image builds and tests). Idempotent: each step first looks at what is
# there and changes only what differs; the last line says `changed=N`, and a second run says `changed=0`.
# --dry-run prints every change it would make and changes nothing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")

ROOT=/
DRY_RUN=0
PROFILE=pi4
DISPLAY_KIND=hdmi
UNIT_ID=
WHEELS=
PIN_FILE=
SETTINGS_FILE=
NO_PACKAGES=0
APP_MODE=venv
SERIAL_PRINTER=0
WIFI_COUNTRY=ID

CHANGED=0
MOUNTED=()
TMP_IN_ROOT=()

KIOSK=kiosk
KIOSK_GROUPS=(video render input gpio lp dialout)
UNITS_ENABLED=(semenit-ui.service semenit-selftest.service)
APP_DIR=/opt/semenit
DATA_DIR=/var/lib/semenit
CONFIG_DIR=/etc/semenit

usage() {
  cat <<'EOF'
Usage: provision.sh [options]
  --root DIR           act on the root filesystem in DIR instead of this machine (default /)
  --dry-run            print each change, change nothing
  --profile pi4|pi5    the board (default pi4)
  --display KIND       dsi7 (official 7" Touch Display), touch2 (Touch Display 2), hdmi (default)
  --serial-printer     the receipt printer is on the GPIO UART: enable it, keep the kernel console off it
  --unit-id ID         this unit's name, e.g. trj-01 (hostname semenit-ID); kept from the settings file
                       on later runs
  --settings FILE      use this settings file (with the village profile) instead of the template
  --pin-file FILE      the operator PIN, from a file (unattended); without it the PIN is asked for
  --wheels DIR         install the app's Python packages offline from this wheel folder
  --app-mode venv|copy venv: pip-install this checkout into /opt/semenit/venv (default, the unit's way);
                       copy: copy the source, use Debian's Python packages (no PyPI; for tests: Debian's
                       versions can be older than pyproject.toml asks)
  --no-packages        do not install Debian packages (report the missing ones)
  --wifi-country CC    Wi-Fi country on Raspberry Pi OS (default ID)
  -h, --help           this help
EOF
}

die() { echo "provision: error: $*" >&2; exit 1; }
say() { echo "provision: $*"; }

while [ $# -gt 0 ]; do
  case $1 in
    --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --profile) PROFILE=${2:?--profile needs pi4 or pi5}; shift 2 ;;
    --display) DISPLAY_KIND=${2:?--display needs a kind}; shift 2 ;;
    --serial-printer) SERIAL_PRINTER=1; shift ;;
    --unit-id) UNIT_ID=${2:?--unit-id needs an id}; shift 2 ;;
    --settings) SETTINGS_FILE=${2:?--settings needs a file}; shift 2 ;;
    --pin-file) PIN_FILE=${2:?--pin-file needs a file}; shift 2 ;;
    --wheels) WHEELS=${2:?--wheels needs a folder}; shift 2 ;;
    --app-mode) APP_MODE=${2:?--app-mode needs venv or copy}; shift 2 ;;
    --no-packages) NO_PACKAGES=1; shift ;;
    --wifi-country) WIFI_COUNTRY=${2:?--wifi-country needs a code}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

case $PROFILE in pi4 | pi5) ;; *) die "--profile must be pi4 or pi5, not '$PROFILE'" ;; esac
case $DISPLAY_KIND in dsi7 | touch2 | hdmi) ;; *) die "--display must be dsi7, touch2 or hdmi, not '$DISPLAY_KIND'" ;; esac
case $APP_MODE in venv | copy) ;; *) die "--app-mode must be venv or copy, not '$APP_MODE'" ;; esac
[ "$(id -u)" = 0 ] || die "run as root (sudo $0 ...)"
[ -d "$ROOT" ] || die "--root $ROOT is not a folder"
ROOT=$(cd "$ROOT" && pwd)
[ -z "$WHEELS" ] || [ -d "$WHEELS" ] || die "--wheels $WHEELS is not a folder"
[ -z "$PIN_FILE" ] || [ -r "$PIN_FILE" ] || die "--pin-file $PIN_FILE cannot be read"
[ -z "$SETTINGS_FILE" ] || [ -r "$SETTINGS_FILE" ] || die "--settings $SETTINGS_FILE cannot be read"

# A path inside the target root.
R() { if [ "$ROOT" = / ]; then printf '%s' "$1"; else printf '%s%s' "$ROOT" "$1"; fi; }

# Run a command with the target's own tools.
in_root() { if [ "$ROOT" = / ]; then "$@"; else chroot "$ROOT" "$@"; fi; }

# Record one change: done (or, with --dry-run, only announced).
change() {
  CHANGED=$((CHANGED + 1))
  if [ "$DRY_RUN" = 1 ]; then echo "would: $*"; else echo "change: $*"; fi
}

cleanup() {
  local i path
  for path in "${TMP_IN_ROOT[@]}"; do rm -rf "$path"; done
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount --lazy "${MOUNTED[$i]}" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The target's tools need /proc and /dev; mounting them changes no file in the root.
prepare_root() {
  [ "$ROOT" = / ] && return 0
  [ -x "$ROOT/bin/sh" ] || die "$ROOT does not look like a root filesystem (no /bin/sh)"
  if ! mountpoint -q "$ROOT/proc"; then mount -t proc proc "$ROOT/proc"; MOUNTED+=("$ROOT/proc"); fi
  if ! mountpoint -q "$ROOT/dev"; then mount --bind /dev "$ROOT/dev"; MOUNTED+=("$ROOT/dev"); fi
  if [ -d "$ROOT/dev/pts" ] && ! mountpoint -q "$ROOT/dev/pts"; then
    mount --bind /dev/pts "$ROOT/dev/pts"; MOUNTED+=("$ROOT/dev/pts")
  fi
}

has_in_root() { in_root sh -c "command -v '$1'" >/dev/null 2>&1; }

uid_of() { awk -F: -v u="$1" '$1 == u { print $3 }' "$(R /etc/passwd)"; }
gid_of() { awk -F: -v g="$1" '$1 == g { print $3 }' "$(R /etc/group)"; }

# Put CONTENT-FILE at DEST (a path in the root) with MODE and owner UID:GID, if it differs.
put_file() {
  local src=$1 dest=$2 mode=$3 owner=${4:-0:0} target
  target=$(R "$dest")
  if [ -f "$target" ] && cmp -s "$src" "$target"; then
    ensure_meta "$dest" "$mode" "$owner"
    return 0
  fi
  change "install $dest"
  [ "$DRY_RUN" = 1 ] && return 0
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$target"
}

# Mode and numeric owner of a path in the root.
ensure_meta() {
  local path=$1 mode=$2 owner=$3 target have
  target=$(R "$path")
  have=$(stat -c '%a %u:%g' "$target")
  if [ "$have" != "$mode $owner" ]; then
    change "set $path to mode $mode owner $owner (was $have)"
    [ "$DRY_RUN" = 1 ] && return 0
    chmod "$mode" "$target"
    chown "$owner" "$target"
  fi
}

ensure_dir() {
  local path=$1 mode=$2 owner=${3:-0:0} target
  target=$(R "$path")
  if [ ! -d "$target" ]; then
    change "create folder $path"
    [ "$DRY_RUN" = 1 ] && return 0
    install -d -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$target"
    return 0
  fi
  ensure_meta "$path" "$mode" "$owner"
}

# Write the text on standard input to DEST if it differs.
put_text() {
  local dest=$1 mode=$2 owner=${3:-0:0} tmp
  tmp=$(mktemp)
  cat >"$tmp"
  put_file "$tmp" "$dest" "$mode" "$owner"
  rm -f "$tmp"
}

# ---------------------------------------------------------------------------------------------------
pkg_installed() {
  dpkg-query --admindir="$(R /var/lib/dpkg)" -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# A line "a|b" of packages.txt is one package under two names (Debian 13 renamed some libraries, e.g.
# libmtdev1 -> libmtdev1t64): satisfied by either; the first name the root's apt can install is used.
step_packages() {
  local wanted=() unresolved=() missing=() line alt p found
  mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$HERE/packages.txt")
  for line in "${wanted[@]}"; do
    found=
    IFS='|' read -ra alt <<<"$line"
    for p in "${alt[@]}"; do pkg_installed "$p" && found=$p && break; done
    [ -n "$found" ] || unresolved+=("$line")
  done
  [ ${#unresolved[@]} -eq 0 ] && { remove_cups_browsed; return 0; }
  if [ "$NO_PACKAGES" = 1 ]; then
    say "skip: Debian packages not installed (--no-packages): ${unresolved[*]}"
    remove_cups_browsed
    return 0
  fi
  change "install Debian packages: ${unresolved[*]}"
  if [ "$DRY_RUN" = 0 ]; then
    has_in_root apt-get || die "the root has no apt-get to install ${unresolved[*]}"
    in_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    for line in "${unresolved[@]}"; do
      IFS='|' read -ra alt <<<"$line"
      found=
      for p in "${alt[@]}"; do
        if in_root apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then found=$p; break; fi
      done
      missing+=("${found:-${alt[0]}}")
    done
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  remove_cups_browsed
}

remove_cups_browsed() {
  # cups-browsed would add every printer on the network; the unit prints to its own printers only.
  if pkg_installed cups-browsed; then
    change "remove cups-browsed"
    [ "$DRY_RUN" = 1 ] || in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q cups-browsed
  fi
}

step_user() {
  local g have missing=()
  for g in "${KIOSK_GROUPS[@]}"; do
    if [ -z "$(gid_of "$g")" ]; then
      change "create group $g"
      [ "$DRY_RUN" = 1 ] || in_root groupadd --system "$g"
    fi
  done
  if [ -z "$(uid_of "$KIOSK")" ]; then
    change "create user $KIOSK (no password, no shell, no sudo)"
    if [ "$DRY_RUN" = 0 ]; then
      in_root useradd --create-home --home-dir "/home/$KIOSK" --shell /usr/sbin/nologin --user-group \
        --comment "Semenit kiosk" "$KIOSK"
    fi
  fi
  for g in "${KIOSK_GROUPS[@]}"; do
    have=$(awk -F: -v g="$g" '$1 == g { print $4 }' "$(R /etc/group)")
    [[ ",$have," == *",$KIOSK,"* ]] || missing+=("$g")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    change "add $KIOSK to groups ${missing[*]}"
    if [ "$DRY_RUN" = 0 ]; then in_root usermod -a -G "$(IFS=,; echo "${missing[*]}")" "$KIOSK"; fi
  fi
  for g in sudo adm wheel lpadmin; do
    have=$(awk -F: -v g="$g" '$1 == g { print $4 }' "$(R /etc/group)")
    if [[ ",$have," == *",$KIOSK,"* ]]; then
      change "remove $KIOSK from group $g"
      [ "$DRY_RUN" = 1 ] || in_root gpasswd -d "$KIOSK" "$g" >/dev/null
    fi
  done
  if [ -n "$(uid_of "$KIOSK")" ]; then
    have=$(awk -F: -v u="$KIOSK" '$1 == u { print $2 }' "$(R /etc/shadow)")
    if [[ $have != '!'* && $have != '*'* ]]; then
      change "lock the password of $KIOSK"
      [ "$DRY_RUN" = 1 ] || in_root usermod -L "$KIOSK"
    fi
  fi
}

# The kiosk user's numeric ids ("0:0" before the user exists, in a dry run).
kiosk_owner() {
  local u g
  u=$(uid_of "$KIOSK")
  g=$(gid_of "$KIOSK")
  echo "${u:-0}:${g:-0}"
}

step_folders() {
  ensure_dir "$APP_DIR" 755
  ensure_dir "$DATA_DIR" 750 "$(kiosk_owner)"
  ensure_dir "$CONFIG_DIR" 750 "0:${KIOSK_GID:-0}"
}

step_system_files() {
  local src rel mode
  while IFS= read -r -d '' src; do
    rel=${src#"$HERE/files"}
    mode=644
    [ -x "$src" ] && mode=755
    put_file "$src" "$rel" "$mode"
  done < <(find "$HERE/files" -type f -print0 | sort -z)
}

# The unit's settings: written once from the template (or --settings); later runs keep the village's edits.
step_settings() {
  local dest=$CONFIG_DIR/semenit.toml tmp
  if [ -e "$(R "$dest")" ]; then
    [ -z "$SETTINGS_FILE" ] || say "kept the existing $dest: --settings $SETTINGS_FILE not used (edit $dest instead)"
    ensure_meta "$dest" 640 "0:${KIOSK_GID:-0}"
    return 0
  fi
  tmp=$(mktemp)
  if [ -n "$SETTINGS_FILE" ]; then
    cp "$SETTINGS_FILE" "$tmp"
  else
    sed -e "s/@UNIT_ID@/$UNIT_ID/" -e "s/@PROFILE@/$PROFILE/" -e "s/@DISPLAY@/$DISPLAY_KIND/" \
      "$HERE/semenit.toml.in" >"$tmp"
  fi
  put_file "$tmp" "$dest" 640 "0:${KIOSK_GID:-0}"
  rm -f "$tmp"
}

step_identity() {
  local name=semenit-$UNIT_ID hosts tmp
  printf '%s\n' "$name" | put_text /etc/hostname 644
  hosts=$(R /etc/hosts)
  tmp=$(mktemp)
  if [ -f "$hosts" ] && grep -q '^127\.0\.1\.1[[:space:]]' "$hosts"; then
    sed "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1\t$name/" "$hosts" >"$tmp"
  else
    { [ -f "$hosts" ] && cat "$hosts"; printf '127.0.1.1\t%s\n' "$name"; } >"$tmp"
  fi
  put_file "$tmp" /etc/hosts 644
  rm -f "$tmp"

  local zone=Asia/Jakarta link
  link=$(readlink "$(R /etc/localtime)" || true)
  if [ "$link" != "/usr/share/zoneinfo/$zone" ]; then
    change "set the time zone to $zone"
    [ "$DRY_RUN" = 1 ] || ln -sfn "/usr/share/zoneinfo/$zone" "$(R /etc/localtime)"
  fi
  printf '%s\n' "$zone" | put_text /etc/timezone 644

  local gen locale absent=0
  gen=$(R /etc/locale.gen)
  tmp=$(mktemp)
  if [ -f "$gen" ]; then cp "$gen" "$tmp"; fi
  for locale in id_ID en_US; do
    if grep -q "^# *$locale\.UTF-8 UTF-8" "$tmp"; then
      sed -i "s/^# *\($locale\.UTF-8 UTF-8\)/\1/" "$tmp"
    elif ! grep -q "^$locale\.UTF-8 UTF-8" "$tmp"; then
      echo "$locale.UTF-8 UTF-8" >>"$tmp"
    fi
  done
  put_file "$tmp" /etc/locale.gen 644
  rm -f "$tmp"
  for locale in id_ID.utf8 en_US.utf8; do
    in_root locale -a 2>/dev/null | grep -qx "$locale" || absent=1
  done
  if [ "$absent" = 1 ]; then
    change "generate the locales id_ID.UTF-8 and en_US.UTF-8"
    [ "$DRY_RUN" = 1 ] || in_root locale-gen >/dev/null
  fi
  printf 'LANG=id_ID.UTF-8\n' | put_text /etc/default/locale 644
}

# The app's source, as installed: a hash of every file the unit needs from this checkout.
source_files() {
  (cd "$REPO" && find pyproject.toml appliance letters firmware_config -type f \
    ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z)
}
source_hash() {
  (cd "$REPO" && source_files | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

step_app() {
  local want have stamp pip_args=()
  stamp=$(R "$APP_DIR/.installed")
  want="$APP_MODE $(source_hash) $PROFILE"
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ "$want" = "$have" ] && [ -x "$(R "$APP_DIR/venv/bin/semenit")" ]; then
    :
  else
    change "install the app ($APP_MODE) into $APP_DIR from $REPO"
    if [ "$DRY_RUN" = 0 ]; then
      has_in_root python3 || die "the root has no python3 (Debian package python3, python3-venv)"
      rm -rf "$(R "$APP_DIR/src")" "$(R "$APP_DIR/venv")"
      install -d -m 755 "$(R "$APP_DIR/src")"
      (cd "$REPO" && source_files | tar --null -T - -cf - | tar -C "$(R "$APP_DIR/src")" -xf -)
      chmod -R u=rwX,go=rX "$(R "$APP_DIR/src")"
      if [ "$APP_MODE" = copy ]; then
        # Debian's Python packages stand in for PyPI's; the source is put on the venv's path.
        in_root python3 -m venv --system-site-packages --without-pip "$APP_DIR/venv"
        local site
        site=$(in_root "$APP_DIR/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
        echo "$APP_DIR/src" >"$(R "$site/semenit-src.pth")"
        printf '#!%s\nimport sys\nfrom appliance.cli import main\nsys.exit(main())\n' \
          "$APP_DIR/venv/bin/python" >"$(R "$APP_DIR/venv/bin/semenit")"
        chmod 755 "$(R "$APP_DIR/venv/bin/semenit")"
      else
        in_root python3 -m venv "$APP_DIR/venv"
        if [ -n "$WHEELS" ]; then
          # Offline: the wheels (and setuptools, to build the app) are copied in for the install only.
          local inside
          inside=$(mktemp -d "$(R /tmp)/semenit-wheels.XXXXXX")
          TMP_IN_ROOT+=("$inside")
          cp -r "$WHEELS"/. "$inside"/
          pip_args=(--no-index --find-links "/tmp/${inside##*/}")
        fi
        # pyproject.toml names every dependency, lgpio for the Pi 5's GPIO included (DESIGN §14).
        in_root "$APP_DIR/venv/bin/pip" install -q --disable-pip-version-check "${pip_args[@]}" "$APP_DIR/src"
      fi
      echo "$want" >"$stamp"
    fi
  fi
}

# Run `semenit ARGS` in the unit as the kiosk user, with the unit's data and settings.
semenit_as_kiosk() {
  in_root setpriv --reuid="$KIOSK" --regid="$KIOSK" --init-groups \
    env HOME="/home/$KIOSK" SEMENIT_HOME="$DATA_DIR" SEMENIT_CONFIG="$CONFIG_DIR/semenit.toml" \
    "$APP_DIR/venv/bin/semenit" "$@"
}

app_installed() { [ -x "$(R "$APP_DIR/venv/bin/semenit")" ]; }

# Ask the installed app a yes/no question (read-only) as the kiosk user: prints True or False.
app_probe() {
  in_root setpriv --reuid="$KIOSK" --regid="$KIOSK" --init-groups \
    env HOME="/home/$KIOSK" SEMENIT_HOME="$DATA_DIR" SEMENIT_CONFIG="$CONFIG_DIR/semenit.toml" \
    "$APP_DIR/venv/bin/python" -c "from pathlib import Path; home = Path('$DATA_DIR'); $1" 2>/dev/null || true
}

step_keys() {
  if ! app_installed; then
    change "create the village key pair (semenit keys init)"
    return 0
  fi
  if ! semenit_as_kiosk keys --help >/dev/null 2>&1; then
    say "skip: this app version has no 'semenit keys': village key pair not created"
    return 0
  fi
  local present
  present=$(app_probe 'from appliance.letters import signing; print((signing.key_dir(home) / signing.PRIVATE_NAME).exists())')
  [ "$present" = True ] && return 0
  change "create the village key pair (semenit keys init)"
  [ "$DRY_RUN" = 1 ] || semenit_as_kiosk keys init
}

# The operator PIN is set once, at the first provisioning; changing it later is the operator's business
# (`semenit operator set-pin` on the unit), so a later run with --pin-file leaves it alone.
step_pin() {
  if ! app_installed; then
    change "set the operator PIN (semenit operator set-pin)"
    return 0
  fi
  if ! semenit_as_kiosk operator set-pin --help >/dev/null 2>&1; then
    say "skip: this app version has no 'semenit operator set-pin': operator PIN not set"
    return 0
  fi
  local present
  present=$(app_probe 'from appliance.services.operator import OperatorPin; from appliance.storage.document import read_document; print(bool(read_document(OperatorPin(home).path).get("argon2")))')
  [ "$present" = True ] && return 0
  change "set the operator PIN (semenit operator set-pin)"
  [ "$DRY_RUN" = 1 ] && return 0
  if [ -n "$PIN_FILE" ]; then
    # The file is copied into the unit for the kiosk user to read, and removed on exit.
    local inside
    inside=$(mktemp "$(R /tmp)/semenit-pin.XXXXXX")
    TMP_IN_ROOT+=("$inside")
    cat "$PIN_FILE" >"$inside"
    chown "$(kiosk_owner)" "$inside"
    semenit_as_kiosk operator set-pin --pin-file "/tmp/${inside##*/}"
  elif [ -t 0 ]; then
    semenit_as_kiosk operator set-pin
  else
    die "no terminal to ask the operator PIN: give --pin-file FILE"
  fi
}

step_services() {
  local unit state
  for unit in "${UNITS_ENABLED[@]}"; do
    state=$(in_root systemctl is-enabled "$unit" 2>/dev/null || true)
    if [ "$state" != enabled ]; then
      change "enable $unit"
      [ "$DRY_RUN" = 1 ] || in_root systemctl enable --quiet "$unit"
    fi
  done
  # tty1 belongs to the kiosk: no login prompt there (the technician has SSH and tty2).
  state=$(in_root systemctl is-enabled getty@tty1.service 2>/dev/null || true)
  if [ "$state" != masked ]; then
    change "mask getty@tty1.service"
    [ "$DRY_RUN" = 1 ] || in_root systemctl mask --quiet getty@tty1.service
  fi
  state=$(in_root systemctl get-default 2>/dev/null || true)
  if [ "$state" != multi-user.target ]; then
    change "boot to multi-user.target (no desktop)"
    [ "$DRY_RUN" = 1 ] || in_root systemctl set-default --quiet multi-user.target
  fi
}

step_firmware() {
  local boot out python=${PYTHON:-python3} flags=()
  if [ -f "$(R /boot/firmware/config.txt)" ]; then
    boot=$(R /boot/firmware)
  elif [ -f "$(R /boot/config.txt)" ]; then
    boot=$(R /boot)
  else
    say "skip: firmware settings: no /boot/firmware/config.txt (not a Raspberry Pi boot partition)"
    return 0
  fi
  [ "$DRY_RUN" = 1 ] && flags+=(--dry-run)
  [ "$SERIAL_PRINTER" = 1 ] && flags+=(--serial-printer)
  # The same merge as `semenit firmware apply`, from this checkout: it needs only Python's standard library.
  out=$(PYTHONPATH=$REPO "$python" -m appliance.firmware apply --boot "$boot" --profile "$PROFILE" \
    --display "$DISPLAY_KIND" --config-dir "$REPO/firmware_config" "${flags[@]}")
  while IFS= read -r line; do
    case $line in
      "changed "*) change "firmware: ${line#changed }" ;;
      ?*) say "$line" ;;
    esac
  done <<<"$out"
}

# Raspberry Pi OS's own tools: present on a unit, absent on plain Debian (and in the tests' root).
step_pi_tools() {
  if has_in_root raspi-config; then
    local country
    country=$(in_root raspi-config nonint get_wifi_country 2>/dev/null || true)
    if [ "$country" != "$WIFI_COUNTRY" ]; then
      change "set the Wi-Fi country to $WIFI_COUNTRY (raspi-config)"
      [ "$DRY_RUN" = 1 ] || in_root raspi-config nonint do_wifi_country "$WIFI_COUNTRY"
    fi
  else
    say "skip: raspi-config not found (not Raspberry Pi OS): Wi-Fi country left as it is"
  fi
  if [ "$ROOT" = / ] && command -v vcgencmd >/dev/null 2>&1; then
    say "firmware: $(vcgencmd version | head -n 1)"
    # Under-voltage is the first cause of a unit that reboots or corrupts its card: say so now.
    say "power: $(vcgencmd get_throttled) (0x0 = no under-voltage seen)"
  else
    say "skip: vcgencmd not found or not running on the unit itself: firmware version and power not read"
  fi
}

# Key-only SSH locks out a technician who has no key on the unit yet: say so before they log out.
warn_ssh_keys() {
  local keys
  keys=$(find "$(R /home)" "$(R /root)" -maxdepth 3 -path '*/.ssh/authorized_keys' -size +0 2>/dev/null | head -n 1)
  if [ -z "$keys" ]; then
    say "warning: no ~/.ssh/authorized_keys on this unit: SSH takes keys only, put your public key there" \
      "(Raspberry Pi Imager: 'Allow public-key authentication only') before you log out"
  fi
}

live_reload() {
  [ "$ROOT" = / ] || return 0
  [ "$DRY_RUN" = 1 ] && return 0
  [ "$CHANGED" -gt 0 ] || return 0
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
  if command -v udevadm >/dev/null 2>&1; then udevadm control --reload || true; fi
}

# The clock, the USB export and the letter printers of a village office (step_office).
# shellcheck source=/dev/null  # office.sh is checked on its own (tests/provisioning/test_office_provisioning.py)
. "$HERE/office.sh"

# ---------------------------------------------------------------------------------------------------
check_unit_id() {
  UNIT_ID=$(printf '%s' "$UNIT_ID" | tr '[:upper:]' '[:lower:]')
  [[ $UNIT_ID =~ ^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$ ]] ||
    die "--unit-id '$UNIT_ID': use letters, digits and '-' (at most 32)"
}

main() {
  [ -z "$UNIT_ID" ] || check_unit_id
  prepare_root
  if [ -z "$UNIT_ID" ] && [ -f "$(R $CONFIG_DIR/semenit.toml)" ]; then
    UNIT_ID=$(sed -n 's/^id *= *"\(.*\)"/\1/p' "$(R $CONFIG_DIR/semenit.toml)" | head -n 1)
  fi
  [ -n "$UNIT_ID" ] || die "give --unit-id ID (e.g. trj-01) on the first run"
  check_unit_id

  say "root=$ROOT profile=$PROFILE display=$DISPLAY_KIND unit=$UNIT_ID app=$APP_MODE$([ "$DRY_RUN" = 1 ] && echo ' (dry run)')"
  step_packages
  step_user
  KIOSK_GID=$(gid_of "$KIOSK")
  step_folders
  step_system_files
  step_settings
  step_identity
  step_services
  step_office
  step_firmware
  step_app
  step_keys
  step_pin
  step_pi_tools
  warn_ssh_keys
  live_reload
  if [ "$ROOT" = / ] && [ "$DRY_RUN" = 0 ] && [ "$CHANGED" -gt 0 ]; then
    say "done: reboot (sudo reboot) to start the kiosk, then check it with: semenit selftest"
  fi
  echo "changed=$CHANGED"
}

main
