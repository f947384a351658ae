"""Photos: thumbnails, and copies fit for sharing (location removed, optionally downscaled).

Only an allow-list of formats is opened (never EPS, which would run Ghostscript),
pictures above :data:`MAX_PIXELS` are refused before they are decoded, and any
decoding failure becomes a :class:`MediaError` a person can read. Removing the
location of a JPEG rewrites its metadata segments and copies the compressed
picture untouched, so a photo loses nothing but its place.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.ExifTags import IFD, Base

from desktop.media.errors import MediaError
from desktop.media.filetypes import READABLE_IMAGES, is_photo_like, sniff_file

logger = logging.getLogger(__name__)

#: Larger pictures are refused before decoding (a "decompression bomb" is a tiny file of a huge picture).
MAX_PIXELS = 89_000_000  # just under Pillow's own warning threshold
#: Formats Pillow may open here (a JPEG with extra pictures opens as "MPO"); anything else is a file.
PILLOW_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "AVIF")
THUMBNAIL_SIZE = 256
#: Quality of downscaled JPEGs: visually close to the original at a fraction of the bytes.
JPEG_QUALITY = 85

_SUFFIXES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/avif": ".avif",
}
_MAKER_NOTE = 0x927C
#: APP segments of a JPEG that may name a place: XMP, extended XMP, IPTC (APP13) and MPF (which
#: points at extra pictures after the end of the image, each with EXIF of its own).
_XMP_PREFIXES = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_PNG_LOCATION_KEYS = ("XML:com.adobe.xmp", "Raw profile type")


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo written by :func:`prepare_photo`."""

    path: Path
    media_type: str
    suffix: str  # the extension of ``media_type``, with its dot
    width: int
    height: int
    location_removed: bool  # the original named a place and the copy does not
    downscaled: bool


def suffix_for(media_type: str) -> str:
    """The usual file extension of an image type (``.jpg``), or "" for another type."""
    return _SUFFIXES.get(media_type, "")


@cache
def _openable_formats() -> tuple[str, ...]:
    """PILLOW_FORMATS this Pillow can open (AVIF came with Pillow 11.2; an unknown name is a KeyError)."""
    Image.init()
    return tuple(name for name in PILLOW_FORMATS if name in Image.OPEN)


@contextmanager
def open_image(src: Path, *, max_pixels: int = MAX_PIXELS) -> Iterator[Image.Image]:
    """Open an image for reading (header only), refusing unknown formats and oversized pictures."""
    try:
        image = Image.open(src, formats=_openable_formats())
    except Image.DecompressionBombError as exc:
        raise MediaError(_too_big_message()) from exc
    except UnidentifiedImageError as exc:
        raise MediaError("The file is not a picture this app can read, or it is damaged.") from exc
    except FileNotFoundError as exc:
        raise MediaError(f"The file {src.name} no longer exists.") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"The picture could not be read: {exc}") from exc
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise MediaError("The picture has no pixels; the file is damaged.")
        if width * height > max_pixels:
            raise MediaError(_too_big_message(width, height))
        yield image


def _too_big_message(width: int = 0, height: int = 0) -> str:
    size = f" ({width} x {height} pixels)" if width else ""
    return (
        f"The picture is too large to open safely{size}; pictures of up to "
        f"{MAX_PIXELS // 1_000_000} million pixels are accepted."
    )


def _decoded(step: Callable[[], Any]) -> Any:
    """Run a decoding step; a damaged or hostile picture becomes a MediaError."""
    try:
        return step()
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:
        raise MediaError(_too_big_message()) from exc
    except MemoryError as exc:
        raise MediaError("The picture is too large for the memory of this computer.") from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, struct.error... on broken files
        logger.info("picture could not be decoded", exc_info=True)
        raise MediaError(f"The picture is damaged or truncated and cannot be shown ({exc}).") from exc


def _atomic_write(dest: Path, write: Callable[[Path], object]) -> None:
    """Write ``dest`` through a temp file beside it, so a reader never sees half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(temp)
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)


def _displayable(frame: Image.Image, *, keep_alpha: bool) -> Image.Image:
    """``frame`` in RGB (or RGBA when it has transparency and ``keep_alpha``)."""
    alpha = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
    if alpha and keep_alpha:
        return frame if frame.mode == "RGBA" else frame.convert("RGBA")
    if alpha:
        background = Image.new("RGB", frame.size, "white")
        background.paste(frame.convert("RGBA"), mask=frame.convert("RGBA").getchannel("A"))
        return background
    return frame if frame.mode == "RGB" else frame.convert("RGB")


def make_thumbnail(
    src: Path, dest: Path, size: int = THUMBNAIL_SIZE, *, max_pixels: int = MAX_PIXELS
) -> Path:
    """Write a PNG thumbnail of the picture ``src`` (at most ``size`` pixels a side, upright) to ``dest``.

    The EXIF orientation is applied, so a photo taken with the phone turned shows
    the right way up. Raises MediaError for a file that is not a readable picture.
    """
    with open_image(Path(src), max_pixels=max_pixels) as image:
        image.draft("RGB", (size, size))  # JPEG: decode at 1/2..1/8 scale, far faster for big photos
        _decoded(image.load)

        def render() -> Image.Image:
            frame = ImageOps.exif_transpose(image)
            frame.thumbnail((size, size), Image.Resampling.LANCZOS)
            return _displayable(frame, keep_alpha=True)

        thumb: Image.Image = _decoded(render)
    _atomic_write(Path(dest), lambda temp: thumb.save(temp, format="PNG"))
    return Path(dest)


def _without_location(exif: Image.Exif) -> Image.Exif:
    """A copy of ``exif`` without its GPS block (and the maker note, whose offsets a copy breaks)."""
    clean = Image.Exif()
    try:
        for tag, value in exif.items():
            if tag == IFD.GPSInfo:
                continue
            if tag == IFD.Exif:
                sub = {k: v for k, v in exif.get_ifd(IFD.Exif).items() if k != _MAKER_NOTE}
                if IFD.Interop in sub:
                    sub[IFD.Interop] = dict(exif.get_ifd(IFD.Interop))
                clean[tag] = sub
            else:
                clean[tag] = value
        clean.tobytes()  # fail here, not half-way through writing the photo
    except Exception:  # odd EXIF a rewrite cannot carry: keep only what shows the photo upright
        logger.info("EXIF could not be copied; keeping only the orientation", exc_info=True)
        clean = Image.Exif()
        orientation = exif.get(Base.Orientation)
        if isinstance(orientation, int) and 1 <= orientation <= 8:
            clean[Base.Orientation] = orientation
    return clean


def has_location(image: Image.Image) -> bool:
    """True when the picture's metadata may name a place (GPS, XMP, IPTC, extra pictures)."""
    try:
        if IFD.GPSInfo in image.getexif():
            return True
    except Exception:  # unreadable EXIF: treat it as possibly holding a place
        return True
    info = image.info
    if info.get("xmp") or info.get("photoshop") or info.get("mp"):
        return True
    if image.format == "MPO":
        return True
    text: dict[str, Any] = (getattr(image, "text", None) or {}) if image.format == "PNG" else {}
    return any(key.startswith(_PNG_LOCATION_KEYS) for key in text)


def prepare_photo(
    src: Path,
    dest: Path,
    *,
    keep_location: bool,
    max_side: int | None,
    max_pixels: int = MAX_PIXELS,
) -> PreparedPhoto:
    """Write the copy of photo ``src`` that is stored: location removed unless kept, downscaled if asked.

    ``max_side`` (pixels) downscales larger photos, for sharing over paid links;
    the copy is then upright (orientation applied) and a JPEG unless it has
    transparency. Without ``max_side`` the picture itself is never re-compressed:
    a JPEG only loses its location segments, and a photo without a location is
    copied byte for byte. Raises MediaError for a damaged, hostile or unsupported picture.
    """
    src, dest = Path(src), Path(dest)
    media_type = sniff_file(src)
    if media_type not in READABLE_IMAGES:
        if is_photo_like(media_type) and not keep_location:
            raise MediaError(
                f"This {media_type.split('/')[-1].upper()} photo cannot be cleared of its location "
                "here. Export it as JPEG first, or choose to keep the photo location."
            )
        raise MediaError("The file is not a photo this app can prepare.")
    with open_image(src, max_pixels=max_pixels) as image:
        width, height = image.size
        animated = bool(getattr(image, "is_animated", False)) and image.format != "MPO"
        if max_side and max(width, height) > max_side and not animated:
            return _downscaled(image, dest, max_side, keep_location=keep_location)
        _decoded(image.load)  # a truncated photo is refused now, not discovered when it is opened
        located = has_location(image)
        if keep_location or not located:
            _atomic_write(dest, lambda temp: shutil.copyfile(src, temp))
        elif image.format in ("JPEG", "MPO"):
            data = jpeg_without_location(src.read_bytes(), _without_location(image.getexif()))
            _atomic_write(dest, lambda temp: temp.write_bytes(data))
        else:
            _resave_without_location(image, dest)
    return PreparedPhoto(
        dest,
        media_type,
        suffix_for(media_type),
        width,
        height,
        location_removed=located and not keep_location,
        downscaled=False,
    )


def _downscaled(image: Image.Image, dest: Path, max_side: int, *, keep_location: bool) -> PreparedPhoto:
    exif = image.getexif()
    located = has_location(image)
    image.draft("RGB", (max_side, max_side))
    _decoded(image.load)

    def render() -> Image.Image:
        frame = ImageOps.exif_transpose(image)
        frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return frame

    frame: Image.Image = _decoded(render)
    alpha = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
    kept = Image.Exif() if not exif else (exif if keep_location else _without_location(exif))
    kept.pop(Base.Orientation, None)  # the pixels are upright now
    params: dict[str, Any] = {"exif": kept.tobytes() if len(kept) else b""}
    if image.info.get("icc_profile"):
        params["icc_profile"] = image.info["icc_profile"]
    if alpha:
        media_type, out, fmt = "image/png", _displayable(frame, keep_alpha=True), "PNG"
    else:
        media_type, out, fmt = "image/jpeg", _displayable(frame, keep_alpha=False), "JPEG"
        params.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    _atomic_write(dest, lambda temp: out.save(temp, format=fmt, **params))
    return PreparedPhoto(
        dest,
        media_type,
        suffix_for(media_type),
        out.width,
        out.height,
        location_removed=located and not keep_location,
        downscaled=True,
    )


def _resave_without_location(image: Image.Image, dest: Path) -> None:
    """Write a PNG, WebP, TIFF or AVIF again without its location (lossless where the format allows)."""
    fmt = image.format or "PNG"
    params: dict[str, Any] = {"exif": _without_location(image.getexif()).tobytes()}
    if image.info.get("icc_profile"):
        params["icc_profile"] = image.info["icc_profile"]
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        for key, value in (getattr(image, "text", None) or {}).items():
            if not key.startswith(_PNG_LOCATION_KEYS):
                info.add_text(key, value)
        params["pnginfo"] = info
    elif fmt in ("WEBP", "AVIF"):
        params.update(quality=90, xmp=b"")
    if getattr(image, "is_animated", False):
        params["save_all"] = True
    _atomic_write(dest, lambda temp: _decoded(lambda: image.save(temp, format=fmt, **params)))


def jpeg_without_location(data: bytes, exif: Image.Exif) -> bytes:
    """The JPEG ``data`` with its EXIF replaced by ``exif`` and its XMP, IPTC and MPF segments dropped.

    The compressed picture is copied as it is; anything after the end-of-image
    marker (extra pictures of an MPO, trailers) is dropped with the segments that
    pointed at it.
    """
    if not data.startswith(b"\xff\xd8"):
        raise MediaError("The JPEG file is damaged (no start-of-image marker).")
    exif_bytes = exif.tobytes() if len(exif) else b""
    if len(exif_bytes) + 2 > 0xFFFF:
        exif_bytes = b""
    out = [b"\xff\xd8"]
    exif_done = False
    pos = 2
    end = len(data)
    while pos < end:
        if data[pos] != 0xFF:
            raise MediaError("The JPEG file is damaged (a metadata segment is broken).")
        while pos < end and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= end:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image before any scan: nothing to show
            raise MediaError("The JPEG file is damaged (it holds no picture).")
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            out.append(bytes((0xFF, marker)))
            continue
        if marker == 0xDA:  # start of scan: the picture itself, copied up to the end-of-image marker
            stop = data.find(b"\xff\xd9", pos)
            if stop < 0:
                raise MediaError("The JPEG file is truncated.")
            out.append(b"\xff\xda" + data[pos : stop + 2])
            return b"".join(out)
        if pos + 2 > end:
            raise MediaError("The JPEG file is truncated.")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise MediaError("The JPEG file is truncated.")
        payload = data[pos + 2 : pos + length]
        segment = bytes((0xFF, marker)) + data[pos : pos + length]
        pos += length
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            if not exif_done and exif_bytes:
                out.append(b"\xff\xe1" + (len(exif_bytes) + 2).to_bytes(2, "big") + exif_bytes)
            exif_done = True
            continue
        if marker == 0xE1 and payload.startswith(_XMP_PREFIXES):
            continue
        if marker == 0xED or (marker == 0xE2 and payload.startswith(b"MPF\x00")):
            continue
        out.append(segment)
    raise MediaError("The JPEG file is truncated.")
