"""The Kivy touch UI (a thin shell over appliance.services)."""
