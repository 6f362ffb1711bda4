#!/usr/bin/env python3
"""Copy the compiled GOV.UK Frontend, MOJ Frontend and htmx files into var/frontend-build/.

The packages come from the npm registry (`npm ci`, pinned by package-lock.json) and are never
committed. Django serves var/frontend-build/ as a STATICFILES_DIRS entry, under STATIC_URL:

    var/frontend-build/govuk/govuk-frontend.min.css   (+ .js, .map files, assets/)
    var/frontend-build/moj/moj-frontend.min.css       (+ .js, .map files, assets/)
    var/frontend-build/htmx/htmx.min.js

The compiled CSS of both frontends refers to its fonts and images by root-absolute URLs
(`url(/assets/fonts/...)`), which would miss under /static/. The copies are rewritten to
relative URLs (`url(assets/fonts/...)`), which resolve against the CSS file itself, so they work
under any STATIC_URL and are fingerprinted by ManifestStaticFilesStorage at collectstatic.

Standard library only. Idempotent: each package's output folder is replaced whole.
Exit code 1 with "run npm ci first" when node_modules is missing or out of step with the lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
LOCKFILE = ROOT / "package-lock.json"
VAR_DIR = Path(os.environ.get("JOINEDUP_VAR_DIR", ROOT / "var"))
BUILD_DIR = VAR_DIR / "frontend-build"

# url(...) in CSS, with or without quotes.
CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>[^"')]+)(?P=quote)\s*\)""")


@dataclass(frozen=True)
class Package:
    name: str  # npm package name
    dest: str  # folder under var/frontend-build/
    files: dict[str, str]  # source (relative to the package) -> destination (relative to dest)
    trees: dict[str, str] = field(default_factory=dict)  # whole folders, same mapping
    css: tuple[str, ...] = ()  # destination CSS files whose /assets/ URLs are made relative


PACKAGES = (
    Package(
        name="govuk-frontend",
        dest="govuk",
        files={
            f"dist/govuk/{name}": name
            for name in (
                "govuk-frontend.min.css",
                "govuk-frontend.min.css.map",
                "govuk-frontend.min.js",
                "govuk-frontend.min.js.map",
            )
        },
        trees={"dist/govuk/assets": "assets"},  # fonts/, images/, manifest.json
        css=("govuk-frontend.min.css",),
    ),
    Package(
        name="@ministryofjustice/frontend",
        dest="moj",
        files={
            f"moj/{name}": name
            for name in (
                "moj-frontend.min.css",
                "moj-frontend.min.css.map",
                "moj-frontend.min.js",
                "moj-frontend.min.js.map",
            )
        },
        trees={"moj/assets": "assets"},  # images/
        css=("moj-frontend.min.css",),
    ),
    Package(
        name="htmx.org",
        dest="htmx",
        files={"dist/htmx.min.js": "htmx.min.js"},
    ),
)


class BuildError(Exception):
    pass


def locked_versions() -> dict[str, str]:
    if not LOCKFILE.is_file():
        raise BuildError(f"{LOCKFILE} is missing; it is committed with package.json.")
    lock = json.loads(LOCKFILE.read_text(encoding="utf-8"))
    return {
        path.removeprefix("node_modules/"): entry["version"]
        for path, entry in lock.get("packages", {}).items()
        if path.startswith("node_modules/") and "version" in entry
    }


def installed_version(package: Package, locked: dict[str, str]) -> str:
    manifest = NODE_MODULES / package.name / "package.json"
    if not manifest.is_file():
        raise BuildError(f"node_modules/{package.name} is missing: run npm ci first.")
    version = str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    if package.name not in locked:
        raise BuildError(f"{package.name} is not in package-lock.json: run npm install first.")
    if locked[package.name] != version:
        raise BuildError(
            f"node_modules/{package.name} is {version} but package-lock.json pins "
            f"{locked[package.name]}: run npm ci first."
        )
    return version


def relative_asset_urls(css: str) -> str:
    """Turn url(/assets/...) into url(assets/...), relative to the CSS file."""

    def fix(match: re.Match[str]) -> str:
        url = match.group("url").strip()
        if url.startswith("/assets/"):
            return f"url({url[1:]})"
        return match.group(0)

    return CSS_URL.sub(fix, css)


def check_css_references(css_file: Path) -> None:
    """Every local url() in the copied CSS must resolve to a copied file."""
    for match in CSS_URL.finditer(css_file.read_text(encoding="utf-8")):
        url = match.group("url").strip()
        if url.startswith(("data:", "http:", "https:", "//", "#")):
            continue
        if url.startswith("/"):
            raise BuildError(f"{css_file.name} still has a root-absolute URL: {url}")
        target = (css_file.parent / url.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            raise BuildError(f"{css_file.name} refers to {url}, which was not copied.")


def build_package(package: Package, version: str) -> int:
    source_root = NODE_MODULES / package.name
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    # Build beside the final folder, then swap it in, so a failure never leaves half a copy.
    staging = Path(tempfile.mkdtemp(prefix=f".{package.dest}-", dir=BUILD_DIR))
    try:
        for source, dest in package.files.items():
            source_path = source_root / source
            if not source_path.is_file():
                raise BuildError(f"{package.name} {version} has no {source}.")
            (staging / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_path, staging / dest)
        for source, dest in package.trees.items():
            source_path = source_root / source
            if not source_path.is_dir():
                raise BuildError(f"{package.name} {version} has no folder {source}.")
            shutil.copytree(source_path, staging / dest)
        for css_name in package.css:
            css_file = staging / css_name
            css_file.write_text(
                relative_asset_urls(css_file.read_text(encoding="utf-8")), encoding="utf-8"
            )
            check_css_references(css_file)
        count = sum(1 for path in staging.rglob("*") if path.is_file())
        final = BUILD_DIR / package.dest
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def main() -> int:
    if not NODE_MODULES.is_dir():
        print(f"error: {NODE_MODULES} is missing: run npm ci first.", file=sys.stderr)
        return 1
    try:
        locked = locked_versions()
        versions = {package.name: installed_version(package, locked) for package in PACKAGES}
        for package in PACKAGES:
            count = build_package(package, versions[package.name])
            files = "file" if count == 1 else "files"
            print(
                f"{package.name} {versions[package.name]}: {count} {files} -> "
                f"{(BUILD_DIR / package.dest).relative_to(VAR_DIR.parent)}/"
            )
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
