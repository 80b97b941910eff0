"""Who is at the kiosk: second factors with a declared strength, checked the same way for every NIK.

- factors.py: the factors and their strength; the least a letter type accepts (template key `min_factor`).
- hasher.py: the one slow hash (argon2id), run exactly once per check whether or not the NIK exists.
- keys.py: the unit's secret that turns NIKs into opaque keys (no NIK in any file of this package).
- pins.py: resident PINs registered at the office (changeable at the kiosk with the old PIN).
- codes.py: one-time print codes an officer gives for one NIK, one letter type, for a limited time.
- guard.py: lockout per NIK and the village-wide pacing of guesses.
- service.py: identify(), the one entry point the kiosk session calls.
"""

from appliance.identity.factors import FACTORS, Factor, accepted, strength

# identify() lives in appliance.identity.service, imported by the kiosk when a resident starts: the
# settings check reads the factors here without loading the hashes and keys (a cold command's cost).
__all__ = ["FACTORS", "Factor", "accepted", "strength"]
