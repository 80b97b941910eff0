"""The operator at the running kiosk (real Kivy under Xvfb, simulated touches) with real stick images on
loop devices, mounted by the unit's own helper: an NTFS stick and a damaged one each give a plain message
on the operator's screen; an exFAT stick takes the export and is read-only again afterwards."""

from __future__ import annotations

from sticks import PathUnit, Stick, helper_env, make_image


def on_screen(d, words: str) -> bool:
    return any(words in text for text in d.texts())


def test_operator_sees_why_a_stick_is_refused_and_exports_to_a_good_one(kiosk_factory, semenit_home, tmp_path):
    tour = kiosk_factory((1280, 800), fixture=False)
    d, app = tour.d, tour.app
    env = helper_env(tmp_path)
    env["SEMENIT_USB_BASE"] = str(semenit_home / "usb")  # the folder the kiosk's watcher looks at
    tour.unit.usb_conf["request_dir"] = env["SEMENIT_USB_REQUESTS"]
    tour.open_operator_menu()

    for kind, words in (("ntfs", "memakai NTFS"), ("damaged", "rusak atau belum diformat")):
        stick = Stick(make_image(tmp_path / f"{kind}.img", kind), env)
        try:
            assert stick.helper("mount", stick.name).returncode == 0
            d.wait(lambda words=words: on_screen(d, words), what=f"the {kind} stick's message on the menu")
            d.tap("op_export")  # the export says the same, and writes nothing
            d.wait_idle()
            d.wait(lambda words=words: app.dialog is not None and on_screen(d, words),
                   what=f"the {kind} stick's message after export")
            d.tap("ok")
        finally:
            stick.close()
        d.wait(lambda words=words: words not in app.screen("operator").usb_text,
               what=f"the {kind} message gone with the stick")

    # exFAT: this machine's vfat (fusefat) cannot chmod, which the kiosk's atomic writes do (see sticks.py)
    stick = Stick(make_image(tmp_path / "exfat.img", "exfat"), env)
    try:
        assert stick.helper("mount", stick.name).returncode == 0
        assert "ro" in stick.mount_options()
        with PathUnit(env) as unit:
            d.tap("op_export")
            d.wait_idle()
            d.wait(lambda: app.dialog is not None, what="the export's result")
        result = app.screen("operator").result
        assert "semenit-ekspor" in result, result
        assert len(unit.served) == 2, unit.served
        assert "ro" in stick.mount_options()
        exported = [p.name for p in (stick.folder / "semenit-ekspor").rglob("*") if p.is_file()]
        assert any(n.startswith("ringkasan-") for n in exported), exported
        assert any(n.endswith(".xlsx") for n in exported), exported
    finally:
        stick.close()
