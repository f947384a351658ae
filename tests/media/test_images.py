"""Photos: location removed unless kept, orientation, downscaling, thumbnails, bombs and damaged files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.ExifTags import IFD, Base

from desktop.media.errors import MediaError
from desktop.media.filetypes import sniff_file, sniff_media_type
from desktop.media.images import jpeg_without_location, make_thumbnail, prepare_photo
from tests.media.samples import SECRET_DATUM, SECRET_PLACE, photo_with_location, plain_photo, png_bomb


def _is_red(pixel: Any) -> bool:
    return isinstance(pixel, tuple) and pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_location_is_removed_and_the_picture_is_not_recompressed(tmp_path: Path) -> None:
    src = photo_with_location(tmp_path / "visit.jpg")
    assert SECRET_DATUM.encode() in src.read_bytes() and SECRET_PLACE.encode() in src.read_bytes()
    result = prepare_photo(src, tmp_path / "out.jpg", keep_location=False, max_side=None)
    data = result.path.read_bytes()
    assert result.location_removed and not result.downscaled
    assert SECRET_DATUM.encode() not in data and SECRET_PLACE.encode() not in data
    with Image.open(result.path) as copy:
        exif = copy.getexif()
        assert IFD.GPSInfo not in exif and "xmp" not in copy.info
        assert exif[Base.Orientation] == 6 and exif[Base.Make] == "TestCam"  # the rest is kept
        copy.load()
        with Image.open(src) as original:
            assert (
                copy.tobytes() == original.tobytes()
            )  # same pixels: the scan data was copied, not re-encoded


def test_location_is_kept_when_asked_byte_for_byte(tmp_path: Path) -> None:
    src = photo_with_location(tmp_path / "visit.jpg")
    result = prepare_photo(src, tmp_path / "out.jpg", keep_location=True, max_side=None)
    assert not result.location_removed and _sha(result.path) == _sha(src)
    with Image.open(result.path) as copy:
        assert IFD.GPSInfo in copy.getexif()


def test_a_photo_without_location_is_copied_unchanged(tmp_path: Path) -> None:
    src = plain_photo(tmp_path / "plain.jpg")
    result = prepare_photo(src, tmp_path / "out.jpg", keep_location=False, max_side=None)
    assert _sha(result.path) == _sha(src) and not result.location_removed


def test_downscale_for_sharing_is_upright_smaller_and_without_location(tmp_path: Path) -> None:
    src = photo_with_location(tmp_path / "visit.jpg", size=(2000, 1500), orientation=6)
    result = prepare_photo(src, tmp_path / "small.jpg", keep_location=False, max_side=400)
    assert result.downscaled and result.media_type == "image/jpeg" and result.suffix == ".jpg"
    assert (result.width, result.height) == (300, 400)  # 2000x1500 turned upright, then fit in 400
    assert result.path.stat().st_size < src.stat().st_size
    data = result.path.read_bytes()
    assert SECRET_DATUM.encode() not in data and SECRET_PLACE.encode() not in data
    with Image.open(result.path) as copy:
        assert copy.size == (300, 400)
        exif = copy.getexif()
        assert IFD.GPSInfo not in exif and Base.Orientation not in exif
        # Orientation 6 turns the picture clockwise: the red top-left corner ends up top-right.
        assert _is_red(copy.getpixel((copy.width - 10, 10)))
        assert not _is_red(copy.getpixel((10, 10)))


def test_downscale_keeping_location_keeps_gps(tmp_path: Path) -> None:
    src = photo_with_location(tmp_path / "visit.jpg", size=(1200, 900))
    result = prepare_photo(src, tmp_path / "small.jpg", keep_location=True, max_side=300)
    with Image.open(result.path) as copy:
        assert max(copy.size) == 300 and IFD.GPSInfo in copy.getexif()


def test_small_photo_is_not_upscaled(tmp_path: Path) -> None:
    src = plain_photo(tmp_path / "small.jpg", size=(200, 100))
    result = prepare_photo(src, tmp_path / "out.jpg", keep_location=False, max_side=1600)
    assert not result.downscaled and _sha(result.path) == _sha(src)


def test_png_location_chunks_are_dropped(tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("XML:com.adobe.xmp", f"<x:xmpmeta>{SECRET_PLACE}</x:xmpmeta>")
    info.add_text("Comment", "kept")
    src = tmp_path / "map.png"
    Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(src, pnginfo=info)
    result = prepare_photo(src, tmp_path / "out.png", keep_location=False, max_side=None)
    assert result.location_removed and SECRET_PLACE.encode() not in result.path.read_bytes()
    with Image.open(result.path) as copy:
        assert getattr(copy, "text", {}).get("Comment") == "kept" and copy.getpixel((1, 1)) == (
            0,
            0,
            255,
            128,
        )


def test_thumbnail_is_an_upright_png_within_size(tmp_path: Path) -> None:
    src = photo_with_location(tmp_path / "visit.jpg", size=(1600, 1200), orientation=6)
    dest = make_thumbnail(src, tmp_path / "thumbs" / "t.png", 128)
    with Image.open(dest) as thumb:
        assert thumb.format == "PNG" and thumb.size == (96, 128)
        assert _is_red(thumb.getpixel((thumb.width - 5, 5))) and not _is_red(thumb.getpixel((5, 5)))


def test_decompression_bomb_is_refused_clearly(tmp_path: Path) -> None:
    bomb = png_bomb(tmp_path / "bomb.png")
    with pytest.raises(MediaError, match="too large"):
        make_thumbnail(bomb, tmp_path / "t.png")
    with pytest.raises(MediaError, match="too large"):
        prepare_photo(bomb, tmp_path / "out.png", keep_location=False, max_side=None)
    # Below Pillow's own limit but above ours: refused from the header, before decoding.
    with pytest.raises(MediaError, match="9000 x 9000"):
        make_thumbnail(png_bomb(tmp_path / "b2.png", 9000, 9000), tmp_path / "t.png", max_pixels=50_000_000)
    assert not (tmp_path / "t.png").exists() and not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_photo_is_refused_and_nothing_is_written(tmp_path: Path, cut: float) -> None:
    data = photo_with_location(tmp_path / "visit.jpg").read_bytes()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(MediaError, match="damaged or truncated"):
        make_thumbnail(broken, tmp_path / "t.png")
    with pytest.raises(MediaError, match="damaged or truncated"):
        prepare_photo(broken, tmp_path / "out.jpg", keep_location=False, max_side=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jpg", "visit.jpg"]


def test_not_a_picture_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 4)  # a program with a photo's name
    assert sniff_file(fake) == "application/octet-stream"
    with pytest.raises(MediaError, match="not a photo"):
        prepare_photo(fake, tmp_path / "out.jpg", keep_location=False, max_side=None)
    with pytest.raises(MediaError, match="not a picture"):
        make_thumbnail(fake, tmp_path / "t.png")


def test_heic_without_keeping_location_is_refused_with_advice(tmp_path: Path) -> None:
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100)
    assert sniff_file(heic) == "image/heic"
    with pytest.raises(MediaError, match="Export it as JPEG"):
        prepare_photo(heic, tmp_path / "out", keep_location=False, max_side=None)


def test_jpeg_segment_rewrite_refuses_garbage() -> None:
    exif = Image.Exif()
    with pytest.raises(MediaError):
        jpeg_without_location(b"not a jpeg", exif)
    with pytest.raises(MediaError, match="truncated"):
        jpeg_without_location(b"\xff\xd8\xff\xe1\x40\x00Exif", exif)


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7\n", "report.bin", "application/pdf"),
        (b"junk\n%PDF-1.4\n", "x", "application/pdf"),
        (b"# Title\n\nSome *markdown*", "notes.md", "text/markdown"),
        (b"a,b\n1,2\n", "data.csv", "text/csv"),
        (b"plain words", "readme", "text/plain"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.jpg", "image/png"),
        (b"%PDF-1.4", "photo.jpg", "application/pdf"),
        (b"\x00\x01\x02\x03binary", "photo.jpg", "application/octet-stream"),
        (
            b"PK\x03\x04rest",
            "minutes.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_type_comes_from_the_bytes_not_the_name(head: bytes, name: str, expected: str) -> None:
    assert sniff_media_type(head, name) == expected
