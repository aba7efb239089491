"""Turn text pages into noisy, slightly tilted greyscale images (what a photocopier-scanner makes)."""
from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageFilter


def _page_image(page, rng: random.Random) -> Image.Image:
    dpi = rng.choice([100, 120, 150])
    img = page.render(scale=dpi / 72).to_pil().convert("L")
    img = img.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, expand=False, fillcolor=255)
    noise = Image.effect_noise(img.size, rng.uniform(20, 45))
    img = Image.blend(img, noise, rng.uniform(0.05, 0.12))
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    return img.point(lambda v: min(255, int(v * 0.92 + 14)))


def _images_pdf(images: list[tuple[Image.Image, float, float]]) -> bytes:
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    for img, w, h in images:
        pdf.add_page(format=(w, h))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=70)
        buf.seek(0)
        pdf.image(buf, x=0, y=0, w=w, h=h)
    return bytes(pdf.output())


def _size(page) -> tuple[float, float]:
    w, h = page.get_size()
    return (h, w) if page.get_rotation() in (90, 270) else (w, h)


def scan_all(data: bytes, rng: random.Random) -> bytes:
    doc = pdfium.PdfDocument(data)
    return _images_pdf([(_page_image(doc[i], rng), *_size(doc[i])) for i in range(len(doc))])


def scan_one_page(data: bytes, index: int, rng: random.Random) -> bytes:
    doc = pdfium.PdfDocument(data)
    scanned = pdfium.PdfDocument(_images_pdf([(_page_image(doc[index], rng), *_size(doc[index]))]))
    out = pdfium.PdfDocument.new()
    for i in range(len(doc)):
        if i == index:
            out.import_pages(scanned, [0])
        else:
            out.import_pages(doc, [i])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
