"""The offline copy and the install manifest: the directory keeps working in a dead zone.

After a build, :func:`write_service_worker` lists the files the service worker stores on
its first visit (the directory in English and Spanish, its index, the officer's pocket
card, the theme's assets and, up to a limit, every provider page in both languages) and
writes ``sw.js`` at the site root. The worker answers from its copy at once and refreshes
that copy in the background (a weak signal costs no wait; the next visit shows what
changed); a new build changes the worker, which stores the new files.
:func:`web_manifest` makes the site installable.

Example:
    >>> manifest = web_manifest("Example County", "#1a237e")
    >>> '"start_url": "directory/"' in manifest
    True
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from deflectkit.site.pocket_card import POCKET_CARD_PATH

__all__ = [
    "OFFLINE_PAGE_LIMIT",
    "SW_PATH",
    "png_icon",
    "precache_list",
    "web_manifest",
    "write_service_worker",
]

SW_PATH = "sw.js"
#: Past this many provider pages, the worker keeps only the pages opened (a national
#: directory would otherwise fill a phone); below it, every provider page is stored.
OFFLINE_PAGE_LIMIT = 1000
_SKIP_ASSETS = ("assets/javascripts/lunr/", ".map")

_WORKER = """/* deflectkit offline copy (generated at build time; do not edit). */
"use strict";
var CACHE = "deflectkit-%(version)s";
var FILES = %(files)s;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(FILES.map(function (f) { return new Request(f, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("deflectkit-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function store(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    /* Pages: the stored copy at once (a weak signal costs nothing), refreshed in the
     * background; the network only for pages not stored; the directory (in the page's
     * language) when all fails. */
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      var fresh = fetch(request).then(function (r) { return store(request, r); });
      if (hit) { fresh.catch(function () { return null; }); return hit; }
      return fresh.catch(function () {
        var scope = self.registration.scope;
        var spanish = request.url.indexOf(scope + "es/") === 0;
        return caches.match(new URL(spanish ? "es/directory/" : "directory/", scope).href);
      });
    }));
    return;
  }
  /* Everything else: the stored copy at once, refreshed in the background. */
  event.respondWith(caches.match(request).then(function (hit) {
    var fresh = fetch(request).then(function (r) { return store(request, r); });
    if (hit) { fresh.catch(function () { return null; }); return hit; }
    return fresh;
  }));
});
"""


def _url(rel: str) -> str:
    """The address a page is requested at: ``providers/x/`` for ``providers/x/index.html``."""
    if rel == "index.html":
        return "./"
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def precache_list(
    site_dir: str | os.PathLike[str], *, page_limit: int = OFFLINE_PAGE_LIMIT
) -> list[str]:
    """Site-relative addresses the worker stores on install, sorted."""
    root = Path(site_dir)
    files: list[str] = []
    english = sorted(p.relative_to(root).as_posix() for p in root.glob("providers/**/*.html"))
    spanish = sorted(p.relative_to(root).as_posix() for p in root.glob("es/providers/**/*.html"))
    shards = sorted(p.relative_to(root).as_posix() for p in root.glob("directory/index/*.json"))
    # The limit counts providers, not pages: the Spanish twins come with the English ones.
    small = len(english) <= page_limit
    for path in sorted(root.glob("assets/**/*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not any(s in rel for s in _SKIP_ASSETS):
            files.append(rel)
    files += ["index.html", "manifest.webmanifest"]
    files += ["directory/index.html", "es/directory/index.html"]
    # The officer's pocket card (who takes drop-offs, what to say) is read in the field too;
    # without it a dead zone answered its address with the directory.
    files.append(POCKET_CARD_PATH.removesuffix(".md") + "/index.html")
    if small:
        files += shards + english + spanish
    return sorted({_url(f) for f in files if (root / f).is_file()})


def write_service_worker(
    site_dir: str | os.PathLike[str], *, page_limit: int = OFFLINE_PAGE_LIMIT
) -> int:
    """Write ``sw.js`` into the built site; return how many files it stores on install.

    The cache name is a hash of the listed files' contents, so a rebuild with new data
    replaces the old copy on the phone's next visit with signal.
    """
    root = Path(site_dir)
    files = precache_list(root, page_limit=page_limit)
    digest = hashlib.sha256()
    for rel in files:
        target = root / (rel + "index.html" if rel.endswith("/") or rel == "./" else rel)
        if rel == "./":
            target = root / "index.html"
        digest.update(rel.encode())
        if target.is_file():
            digest.update(target.read_bytes())
    text = _WORKER % {"version": digest.hexdigest()[:12], "files": json.dumps(files, indent=0)}
    (root / SW_PATH).write_text(text, encoding="utf-8")
    return len(files)


def web_manifest(name: str, color: str, *, short_name: str | None = None) -> str:
    """The web app manifest: installable, opening on the directory, with our SVG icons."""
    manifest = {
        "name": name,
        "short_name": short_name or (name if len(name) <= 12 else "Providers"),
        "start_url": "directory/",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": color,
        "icons": [
            {"src": "assets/deflectkit/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            {"src": "assets/deflectkit/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "assets/deflectkit/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "assets/deflectkit/icon-maskable.svg",
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "maskable",
            },
        ],
    }
    return json.dumps(manifest, indent=2) + "\n"


def png_icon(size: int, color: str) -> bytes:
    """A square PNG app icon: the agency color with a white plus, drawn without an image library.

    Some phones install a site only with PNG icons of 192 and 512 pixels.
    """
    import struct
    import zlib

    rgb = bytes.fromhex(color.lstrip("#")[:6].ljust(6, "0"))
    white = b"\xff\xff\xff"
    arm, bar = size * 3 // 10, size // 10  # the plus: 60 % of the icon long, 20 % thick
    mid = size // 2
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(size):
            on_bar = (abs(y - mid) < bar and abs(x - mid) < arm) or (
                abs(x - mid) < bar and abs(y - mid) < arm
            )
            row += white if on_bar else rgb
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
