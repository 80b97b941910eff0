"""The failures of state every command may meet, each as one plain line (never a traceback).

A damaged state file, an unreadable settings file or a setting an area refuses reaches the CLI from deep
inside a service; this maps it to the sentence that names the file and what to do. Anything not listed
stays a traceback: an unknown failure is a bug to see, not to hide.
"""

from __future__ import annotations


def one_line(exc: BaseException) -> str | None:
    from appliance.config import SettingsError
    from appliance.i18n import _
    from appliance.storage.document import CorruptDocument
    from appliance.storage.tinydb_storage import StorageCorrupt

    if isinstance(exc, StorageCorrupt):  # a lazily opened store meets a damaged file at its first look-up
        return _("store.corrupt", path=str(exc).split(":")[0])
    if isinstance(exc, CorruptDocument):
        return _("storage.corrupt_state", path=exc.path)
    if isinstance(exc, SettingsError):
        return _("settings.unreadable", reason=str(exc))
    if isinstance(exc, ValueError) and _raised_in(exc, "appliance/letters/signing.py", "ensure_keypair"):
        # signing.ensure_keypair raises ValueError for a private key file it cannot load.
        from appliance import paths
        from appliance.letters.signing import PRIVATE_NAME, key_dir

        return _("storage.bad_private_key", path=str(key_dir(paths.home()) / PRIVATE_NAME))
    return None


def _raised_in(exc: BaseException, filename: str, function: str) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == function and code.co_filename.endswith(filename):
            return True
        tb = tb.tb_next
    return False
