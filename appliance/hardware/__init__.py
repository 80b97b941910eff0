"""GPIO: the status light and the queue button, through gpiozero only.

    hw = open_hardware(settings, on_button=queue_press)
    hw.light.show("attention")
    hw.available, hw.reason        # False / why, on a laptop with no GPIO: the app runs on without it

gpiozero is imported only here, when the hardware is opened, never by the core.
"""

from appliance.hardware.device import DEFAULTS, Hardware, open_hardware
from appliance.hardware.light import LIGHT_STATES, PATTERNS

__all__ = ["DEFAULTS", "LIGHT_STATES", "PATTERNS", "Hardware", "open_hardware"]
