"""A guide as a printable PDF handout, built on the fly from the same content files.

The steps' words and pictures come from services.guides.load_guide (office details filled
in), the recipient card and support line from office.toml, so the printed sheet and the
screen never disagree. Text uses the DejaVu TrueType fonts (Debian: fonts-dejavu-core) so
accents, « » and € print.

    python -m services.handout deposer-une-facture > fiche.pdf
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.guides import Guide, Step
from services.office import Office
from services.support_hours import hours_summary
from services.typography import french_spacing

FONT_DIR = Path(os.environ.get("KIOSK_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
# Only what Debian's fonts-dejavu-core ships (no oblique: italic prints upright).
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT = "DejaVu"
# The pictures are drawn for Arial widths: Liberation Sans (fonts-liberation) has the same
# metrics, so labels stay inside their boxes. Without it, DejaVu Sans (about 12 % wider)
# is used with the pictures' font sizes reduced to match.
PICTURE_FONT_DIR = Path(os.environ.get("KIOSK_PICTURE_FONT_DIR", "/usr/share/fonts/truetype/liberation"))
PICTURE_FONT_FILES = {"": "LiberationSans-Regular.ttf", "B": "LiberationSans-Bold.ttf"}
PICTURE_FONT = "LiberationSans"
DEJAVU_WIDTH_FACTOR = 0.88
BLUE = (0, 0, 145)
GREY = (90, 90, 90)
LIGHT = (245, 245, 254)


class HandoutError(RuntimeError):
    """The handout cannot be built here (the message, in French, says what to install)."""


def font_problem(font_dir: Path | None = None) -> str | None:
    """A French sentence if the fonts are missing, else None."""
    folder = font_dir or FONT_DIR
    missing = [name for name in FONT_FILES.values() if not (folder / name).is_file()]
    if missing:
        return (f"La fiche PDF ne peut pas être créée : police introuvable ({', '.join(missing)} "
                f"dans {folder}). Installez le paquet Debian fonts-dejavu-core.")
    return None


# --- Small Markdown (what content/guides/*.yaml uses) -> the HTML fpdf2 understands ----


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)

    def link(match: re.Match) -> str:
        label, url = match.group(1), match.group(2)
        shown = f"{label} ({url})" if label.rstrip("/") not in url else label
        return f'<a href="{html.escape(url)}">{shown}</a>'

    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<i>\1</i>", text)


def markdown_to_html(text: str) -> str:
    """Paragraphs, "- " and "1. " lists, **bold**, *italic*, [links](url). Nothing more."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in text.splitlines():
        line = raw.strip()
        bullet = re.match(r"^[-*]\s+(.*)$", line)
        numbered = re.match(r"^\d+[.)]\s+(.*)$", line)
        if bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            out.append(f"<li>{_inline((bullet or numbered).group(1))}</li>")
        elif not line:
            close_paragraph()
            close_list()
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    return "".join(out)


# --- Pictures ----------------------------------------------------------------------------


def picture_font_available() -> bool:
    return all((PICTURE_FONT_DIR / name).is_file() for name in PICTURE_FONT_FILES.values())


def _scale_font_sizes(svg: str, factor: float) -> str:
    def scale(match: re.Match) -> str:
        return f'{match.group(1)}{float(match.group(2)) * factor:.2f}{match.group(3)}'

    svg = re.sub(r'(font-size=")([\d.]+)((?:px)?")', scale, svg)
    return re.sub(r"(font-size\s*:\s*)([\d.]+)(px|;|\"|\s)", scale, svg)


def _printable_svg(step: Step, family: str = FONT) -> bytes:
    """The step's filled SVG, its text set in `family` (a font embedded in the PDF)."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", step.svg).strip()
    svg = re.sub(r'font-family="[^"]*"', f'font-family="{family}"', svg)
    svg = re.sub(r"font-family='[^']*'", f'font-family="{family}"', svg)
    svg = re.sub(r"font-family\s*:\s*[^;\"]+", f"font-family:{family}", svg)
    if family == FONT:
        svg = _scale_font_sizes(svg, DEJAVU_WIDTH_FACTOR)
    # title/desc are for screen readers (the PDF carries the alt text as a caption instead).
    svg = re.sub(r"<(title|desc)\b[^>]*>.*?</\1>", "", svg, flags=re.S)
    return svg.encode("utf-8")


def _svg_ratio(svg: bytes) -> float:
    """Height / width from the viewBox (or width/height attributes)."""
    text = svg[:2000].decode("utf-8", "replace")
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', text)
    if box:
        return float(box.group(2)) / float(box.group(1))
    width = re.search(r'\swidth="([\d.]+)', text)
    height = re.search(r'\sheight="([\d.]+)', text)
    return float(height.group(1)) / float(width.group(1)) if width and height else 0.625


# --- The document -----------------------------------------------------------------------


class _Handout(FPDF):
    def __init__(self, guide: Guide, office: Office, generated_on: date):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.guide, self.office, self.generated_on = guide, office, generated_on
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=18)
        for style in ("", "B", "I", "BI"):
            self.add_font(FONT, style, str(FONT_DIR / FONT_FILES["B" if "B" in style else ""]))
        self.picture_family = FONT
        if picture_font_available():
            for style, name in PICTURE_FONT_FILES.items():
                self.add_font(PICTURE_FONT, style, str(PICTURE_FONT_DIR / name))
            self.picture_family = PICTURE_FONT
        self.set_title(f"{guide.title} : fiche à imprimer")
        self.set_author(office.display_name)
        self.set_subject("Chorus Pro : guide pas à pas")
        self.set_lang("fr-FR")
        self.set_creator("Kiosque d'aide Chorus Pro")

    def normalize_text(self, text: str) -> str:
        # Every piece of text goes through here: « » : ? ! never start a printed line.
        return super().normalize_text(french_spacing(text))

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.office.display_name} · {self.guide.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        left = (f"Fiche créée le {self.generated_on.strftime('%d/%m/%Y')} · Aide : "
                f"{self.office.contact_name}, {self.office.phone}")
        self.cell(0, 5, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="R")

    # -- building blocks

    def text_block(self, markdown: str, size: float = 11.5) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(22, 22, 22)
        self.write_html(markdown_to_html(markdown), font_family=FONT, ul_bullet_char="•",
                        li_prefix_color=BLUE)
        self.set_x(self.l_margin)
        self.ln(1.5)

    def heading(self, text: str, size: float, color=BLUE, space_before: float = 3) -> None:
        self.ln(space_before)
        self.set_font(FONT, "B", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def boxed_lines(self, lines: list[tuple[str, str]], *, title: str) -> None:
        """A card with a blue left border: title, then label/value lines."""
        top = self.get_y()
        self.set_fill_color(*LIGHT)
        x = self.l_margin + 4
        width = self.epw - 4
        self.set_x(x)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*BLUE)
        self.multi_cell(width - 4, 6.5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, fill=True,
                        padding=(2, 2, 0, 2))
        for label, value in lines:
            self.set_x(x)
            self.set_text_color(22, 22, 22)
            self.set_font(FONT, "", 11)
            self.multi_cell(width - 4, 6.2, _card_line(label, value),
                            markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT, fill=True,
                            padding=(0, 2, 0, 2))
        self.set_x(x)
        self.cell(width - 4, 2, "", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_fill_color(*BLUE)
        self.rect(self.l_margin, top, 2.2, self.get_y() - top, style="F")
        self.ln(4)

    def copy_value(self, label: str, value: str) -> None:
        self.set_font(FONT, "", 10)
        self.set_text_color(*GREY)
        self.multi_cell(0, 5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "B", 13)
        self.set_text_color(22, 22, 22)
        self.set_draw_color(146, 146, 146)
        self.set_fill_color(246, 246, 246)
        self.multi_cell(0, 8, value, border=1, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                        padding=(1, 3, 1, 3))
        self.ln(2)

    def picture(self, step: Step) -> None:
        svg = _printable_svg(step, self.picture_family)
        ratio = _svg_ratio(svg)
        width = self.epw
        room = self.page_break_trigger - self.get_y() - 12
        if width * ratio > room:
            if room >= 70:  # shrink to fit what is left of the page
                width = room / ratio
            else:
                self.add_page()
        x = self.l_margin + (self.epw - width) / 2
        try:
            self.image(io.BytesIO(svg), x=x, w=width)
        except Exception:  # noqa: BLE001 - any drawing failure: say so on paper, keep the rest
            self.set_font(FONT, "", 10)
            self.set_text_color(*GREY)
            self.multi_cell(0, 5, "(Illustration non imprimable : voyez-la dans le guide en ligne.)",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.set_text_color(*GREY)
        self.multi_cell(0, 4.5, step.alt, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)


def _card_line(label: str, value: str) -> str:
    if not value:
        return label
    return f"{label} **{value}**" if label else f"**{value}**"


def _cover(pdf: _Handout) -> None:
    guide, office = pdf.guide, pdf.office
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, f"{office.display_name} · fiche pas à pas à imprimer",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading(guide.title, 22, space_before=2)
    if guide.intro:
        pdf.text_block(guide.intro, 12)
    pdf.ln(3)
    pdf.boxed_lines(
        [
            ("", f"{office.name} ({office.city})"),
            ("SIRET :", office.siret),
            ("Cadre de facturation :", f"{office.cadre_facturation} ({office.cadre_facturation_label})"),
            ("« Le destinataire est-il l'État ? » :", office.recipient_is_state_answer),
        ],
        title="Destinataire de vos factures sur Chorus Pro",
    )
    pdf.boxed_lines(
        [
            ("", f"{office.contact_name}, {office.contact_role.lower()}"),
            ("Téléphone :", office.phone),
            ("Horaires :", f"{hours_summary(office)}, sauf jours fériés"),
            ("Aide de Chorus Pro :", office.community_url.removeprefix("https://")),
            ("ou le lien « Nous contacter » en bas de chaque écran de Chorus Pro.", ""),
        ],
        title="Besoin d'aide ? Appelez l'office",
    )
    pdf.heading("Les étapes", 14)
    pdf.set_font(FONT, "", 11.5)
    pdf.set_text_color(22, 22, 22)
    for step in guide.steps:
        pdf.multi_cell(0, 6.5, f"{step.number}. {step.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _step_page(pdf: _Handout, step: Step) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, f"Étape {step.number} sur {pdf.guide.count}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading(f"{step.number}. {step.title}", 16, space_before=0)
    pdf.text_block(step.do)
    pdf.ln(1)
    for item in step.copy:
        pdf.copy_value(item.label, item.value)
    if step.see:
        pdf.heading("Ce que vous verrez", 12, space_before=1)
        pdf.text_block(step.see)
        pdf.ln(1)
    pdf.picture(step)
    if step.mistakes:
        pdf.heading("Erreurs fréquentes", 12, space_before=1)
        for mistake in step.mistakes:
            pdf.text_block(f"- **{mistake.problem}** {mistake.fix}", 10.5)


def build_handout(guide: Guide, office: Office, *, generated_on: date) -> bytes:
    """The guide as a PDF (bytes). Raises HandoutError if the fonts are missing."""
    problem = font_problem()
    if problem:
        raise HandoutError(problem)
    pdf = _Handout(guide, office, generated_on)
    _cover(pdf)
    for step in guide.steps:
        _step_page(pdf, step)
    return bytes(pdf.output())


def handout_file_name(guide: Guide, generated_on: date) -> str:
    return f"fiche-{guide.slug}-{generated_on.isoformat()}.pdf"


def main(argv: list[str] | None = None) -> int:
    from services.guides import ContentError, guide_slugs, load_guide
    from services.office import get_office

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"Usage : python -m services.handout GUIDE > fiche.pdf  (GUIDE : {', '.join(guide_slugs())})",
              file=sys.stderr)
        return 2
    try:
        data = build_handout(load_guide(args[0], get_office()), get_office(), generated_on=date.today())
    except (ContentError, HandoutError) as exc:
        print(exc, file=sys.stderr)
        return 1
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
