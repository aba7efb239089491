"""Chorus Pro's reading, field by field: what it pre-fills, what must be typed."""

from services.office import get_office
from services.pdf_check.chorus import chorus_prefill
from tests.services.pdf_check_helpers import report_for

OFFICE = get_office()


def rows_by_key(report):
    return {row.key: row for row in chorus_prefill(report, OFFICE)}


def test_clean_invoice_prefills_the_read_fields_and_leaves_the_manual_ones():
    rows = rows_by_key(report_for("synthetic", "inv-005.pdf"))
    for key in ("invoice_number", "invoice_date", "doc_type", "currency", "purchase_order", "total_ht", "total_tva",
                "total_ttc", "buyer_siret"):
        assert rows[key].status == "prefilled", key
    assert rows["invoice_date"].value == "17/06/2022"
    assert rows["doc_type"].value == "Avoir"
    assert rows["total_ttc"].value == "2\u202f108,46"  # Chorus Pro shows credit-note amounts without the sign
    for key in ("payment_mode", "iban", "cadre", "is_state"):
        assert rows[key].status == "always_typed", key
    assert rows["cadre"].value.startswith(OFFICE.cadre_facturation)
    assert rows["is_state"].value == OFFICE.recipient_is_state_answer
    for row in rows.values():
        assert row.label and row.hint


def test_missing_buyer_siret_tells_what_to_add_to_the_invoice():
    rows = rows_by_key(report_for("synthetic", "inv-010.pdf"))  # no buyer SIRET printed
    row = rows["buyer_siret"]
    assert row.status == "to_type"
    assert row.value == OFFICE.siret
    assert f"SIRET client : {OFFICE.siret}" in row.hint


def test_wrong_buyer_siret_is_to_type_with_the_right_one():
    rows = rows_by_key(report_for("synthetic", "inv-049.pdf"))
    assert rows["buyer_siret"].status == "to_type"
    assert "80938923203020" in rows["buyer_siret"].hint


def test_blocked_file_prefills_nothing():
    rows = rows_by_key(report_for("synthetic", "inv-001.pdf"))  # a scan
    assert {r.status for r in rows.values()} <= {"to_type", "always_typed"}
    assert all(r.value is None for r in rows.values() if r.status == "to_type" and r.key != "buyer_siret")


def test_buyer_siret_without_keyword_may_not_be_recognised():
    # inv-033 prints the office's SIRET alone under its address, without « SIRET client »
    report = report_for("synthetic", "inv-033.pdf")
    assert report.fields["buyer_siret"].value == OFFICE.siret
    row = rows_by_key(report)["buyer_siret"]
    assert row.status == "to_type"
    assert "SIRET client" in row.hint
