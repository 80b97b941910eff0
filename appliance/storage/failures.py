"""The failures of state every command may meet that are not SemenitErrors, each as one plain line.

A damaged state file or an unreadable settings file is a SemenitError and names itself; what is left here
is a failure raised by a library on our behalf (a private key file the cryptography library cannot load),
mapped to the sentence that names the file and what to do. Anything not listed stays a traceback: an
unknown failure is a bug to see, not to hide.
"""

from __future__ import annotations


def one_line(exc: BaseException) -> str | None:
    from appliance.i18n import _

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
