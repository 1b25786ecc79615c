"""Writes each addon's README.rst from its readme/ fragments, as OCA's readme generator
does (that tool is not on PyPI). Run by pre-commit; exits 1 when a file changed."""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = [
        ".. This file is generated from readme/ by setup/addon_readme.py: edit those.",
        "",
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        f"|license| **{manifest['license']}** · version {manifest['version']}",
        "",
        f".. |license| replace:: License: {manifest['license']}",
        "",
    ]
    for filename, heading in SECTIONS:
        fragment = addon / "readme" / filename
        if not fragment.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [fragment.read_text().strip(), ""]
    return "\n".join(parts)


def main():
    changed = False
    for manifest in sorted(ROOT.glob("comms_*/__manifest__.py")):
        addon = manifest.parent
        text = render(addon)
        target = addon / "README.rst"
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            print(f"rewrote {target.relative_to(ROOT)}")
            changed = True
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
