"""The interview kit as a PDF, rendered by fpdf2 with Debian's DejaVu Sans
(fonts-dejavu-core, installed by scripts/install.sh), which covers Cyrillic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
LABELS = {
    "en": {
        "minutes": "min", "key_points": "Key points", "mistakes": "Common mistakes", "follow_ups": "Follow-ups",
        "tips": "Tips", "candidate": "Candidate", "plan": "Plan",
    },
    "ru": {
        "minutes": "мин", "key_points": "Ключевые моменты", "mistakes": "Частые ошибки",
        "follow_ups": "Уточняющие вопросы", "tips": "Подсказки", "candidate": "Кандидат", "plan": "План",
    },
}  # fmt: skip


def _block(pdf: FPDF, title: str, lines: list[str]) -> None:
    if not lines:
        return
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in lines:
        pdf.multi_cell(0, 5, f"• {line}", new_x="LMARGIN", new_y="NEXT")


def kit_pdf(kit: dict[str, Any]) -> bytes:
    labels = LABELS["ru" if kit["language"] == "ru" else "en"]
    pdf = FPDF()
    pdf.set_title(kit["title"])
    pdf.add_font("DejaVu", "", str(FONT_FOLDER / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_FOLDER / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, f"{kit['title']} · {kit['minutes']} {labels['minutes']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        6,
        f"{labels['candidate']}: {kit['candidate']}    {labels['plan']}: {kit['plan']}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    number = 0
    for section in kit["sections"]:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        heading = f"{section['title']} · {section['minutes']} {labels['minutes']}"
        if section["competencies"]:
            heading += f" · {', '.join(section['competencies'])}"
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        for question in section["questions"]:
            number += 1
            pdf.ln(1)
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(
                0, 5.5, f"{number}. ({question['minutes']} {labels['minutes']}) {question['prompt']}",
                new_x="LMARGIN", new_y="NEXT",
            )  # fmt: skip
            _block(pdf, labels["key_points"], question["key_points"])
            _block(pdf, labels["mistakes"], question["common_mistakes"])
            _block(pdf, labels["follow_ups"], question["follow_ups"])
            _block(pdf, labels["tips"], [question["tips"]] if question["tips"] else [])
    return bytes(pdf.output())


def evaluation_pdf(candidate_name: str, evaluation: Any) -> bytes:
    """A candidate's scored evaluation (evaluation.Evaluation) as a one-page summary."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_FOLDER / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_FOLDER / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    overall = evaluation.overall if evaluation.overall is not None else "—"
    pdf.multi_cell(0, 8, f"{candidate_name} · {overall}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    if evaluation.plan:
        pdf.multi_cell(0, 6, evaluation.plan, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for stage in evaluation.stages:
        score = stage.score if stage.score is not None else "—"
        evidence = ", ".join(text for text, _url in stage.evidence)
        pdf.multi_cell(0, 6, f"{stage.title} ({stage.weight}%): {score}   {evidence}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    for competency in evaluation.competencies:
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(
            0, 6, f"{competency.label}: {competency.mean} (±{competency.spread})", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(2)
    for who, what, _url in evaluation.recommendations:
        pdf.multi_cell(0, 6, f"{who}: {what}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
