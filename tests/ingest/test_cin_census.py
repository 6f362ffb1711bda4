"""The DfE Children in Need census (XML): checked against the DfE schema as a whole, then one
source record and a chronology per child; bad children quarantined, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests import factories

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
      <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>990</LEA></Source>
  </Header>
  <Children>
"""
TAIL = "  </Children>\n</Message>\n"


def child(
    la_id: str = "CS000001",
    dob: str = "2013-05-01",
    *,
    upn: str = "<UPN>A990200019100</UPN>",
    closure: str = "",
    assessment_end: str = "2024-06-20",
    cpp_end: str = "2024-12-01",
) -> str:
    return f"""    <Child>
      <ChildIdentifiers>
        <LAchildID>{la_id}</LAchildID>
        {upn}
        <PersonBirthDate>{dob}</PersonBirthDate>
        <GenderCurrent>2</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-06-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        {closure}
        <Assessments>
          <AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>{assessment_end}</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3A</AssessmentFactors><AssessmentFactors>4B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2024-06-20</S47ActualStartDate>
          <DateOfInitialCPC>2024-07-05</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2024-07-05</CPPstartDate>
          <CPPendDate>{cpp_end}</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
"""


CLOSED = "<CINclosureDate>2025-01-10</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"


def _write(tmp_path: Path, *children: str, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(children) + TAIL, encoding="utf-8")
    return path


def _import(path: Path) -> ImportRun:
    return import_file(actor=None, source_format="cin-census", path=path, agency_code="sc")


@pytest.fixture
def social_care(db: None) -> None:
    factories.agency(AgencyType.SOCIAL_CARE, code="sc")


def _refused(path: Path) -> str:
    with pytest.raises(ImportRefused) as info:
        _import(path)
    assert not SourceRecord.objects.exists() and not Event.objects.exists()
    return str(info.value)


def test_each_child_gives_a_record_and_a_sensitive_chronology(
    tmp_path: Path, social_care: None
) -> None:
    run = _import(_write(tmp_path, child(closure=CLOSED), child("CS000002", upn="")))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (2, 2, 0)
    record = SourceRecord.objects.get(record_id="CS000001")
    assert (record.la_child_id, record.upn, record.date_of_birth, record.sex) == (
        "CS000001",
        "A990200019100",
        "2013-05-01",
        "2",
    )
    assert record.given_name == "" and record.raw["Ethnicity"] == "WBRI"
    events = {
        (e.event_type, e.occurred_at.date().isoformat(), e.summary): e
        for e in Event.objects.filter(source_record=record)
    }
    summaries = sorted((t, d, s) for t, d, s in events)
    assert summaries == [
        ("assessment", "2024-06-02", "Assessment started"),
        ("assessment", "2024-06-20", "Assessment completed (factors: 3A, 4B)"),
        ("child_protection", "2024-06-20", "Section 47 enquiry started"),
        ("child_protection", "2024-07-05", "Child protection plan started (category: neglect)"),
        ("child_protection", "2024-07-05", "Initial child protection conference held"),
        (
            "child_protection",
            "2024-12-01",
            "Child protection plan ended (category: emotional abuse)",
        ),
        (
            "referral",
            "2024-06-01",
            "Referral received from the police (primary need: abuse or neglect)",
        ),
        (
            "referral",
            "2025-01-10",
            "Children in need episode closed: services ceased, including no longer in need",
        ),
    ]
    referral = events[summaries[6]]
    assert referral.payload == {
        "stage": "referral",
        "source": "6",
        "primary_need": "N1",
        "referral_nfa": False,
    }
    assert {e.sensitivity for e in events.values()} == {"sensitive"}
    assert SourceRecord.objects.get(record_id="CS000002").upn == ""


def test_a_census_child_already_held_keeps_its_names(tmp_path: Path, social_care: None) -> None:
    agency = factories.agency(AgencyType.SOCIAL_CARE, code="sc2")
    SourceRecord.objects.create(
        agency=agency, record_id="CS000001", given_name="Amara", family_name="Okafor"
    )
    import_file(
        actor=None, source_format="cin-census", path=_write(tmp_path, child()), agency_code="sc2"
    )
    record = SourceRecord.objects.get(agency=agency, record_id="CS000001")
    assert (record.given_name, record.family_name, record.upn) == (
        "Amara",
        "Okafor",
        "A990200019100",
    )


def test_children_with_contradictory_dates_are_quarantined_with_line_and_element(
    tmp_path: Path, social_care: None
) -> None:
    path = _write(
        tmp_path,
        child(),
        child("CS000002", cpp_end="2024-07-01"),
        child("CS000003", assessment_end="2099-01-01"),
        child("CS000004", closure="<CINclosureDate>2025-01-10</CINclosureDate>"),
        child("CS000001"),
    )
    run = _import(path)
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (5, 1, 4)
    reasons = {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}
    assert reasons[2][0] == "CPPendDate"
    assert "2024-07-01 is before <CPPstartDate> 2024-07-05" in reasons[2][1]
    assert reasons[2][1].startswith("CPPendDate line ")
    line = _line(path, "2099-01-01")
    assert reasons[3] == (
        "AssessmentAuthorisationDate",
        f"AssessmentAuthorisationDate line {line}: 2099-01-01 is in the future",
    )
    assert reasons[4][0] == "ReasonForClosure" and "is missing" in reasons[4][1]
    assert reasons[5] == ("LAchildID", "LAchildID 'CS000001' repeats the record id of row 1")
    assert QuarantinedRow.objects.get(row_number=2).raw["LAchildID"] == "CS000002"
    assert list(SourceRecord.objects.values_list("record_id", flat=True)) == ["CS000001"]


def _line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_a_file_failing_the_schema_is_refused_whole_naming_line_and_element(
    tmp_path: Path, social_care: None
) -> None:
    path = _write(tmp_path, child(), child("CS000002", dob="2013-13-01"))
    message = _refused(path)
    line = _line(path, "2013-13-01")
    assert "does not match the DfE CIN census schema, so none of it was imported" in message
    assert (
        f"line {line}: <PersonBirthDate> '2013-13-01' is not a valid date (YYYY-MM-DD)" in message
    )
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and "PersonBirthDate" in run.error_message


def test_schema_messages_name_codes_and_missing_elements(tmp_path: Path, social_care: None) -> None:
    bad_code = child().replace("<ReferralSource>6<", "<ReferralSource>99<")
    no_gender = child("CS000002").replace("<GenderCurrent>2</GenderCurrent>", "")
    message = _refused(_write(tmp_path, bad_code, no_gender))
    assert "<ReferralSource> '99' is not one of the allowed codes: 1A, 1B," in message
    assert "<ChildIdentifiers> is missing <ExpectedPersonBirthDate> or <GenderCurrent>" in message


def test_a_truncated_file_is_refused(tmp_path: Path, social_care: None) -> None:
    whole = (HEAD + child() + TAIL).encode()
    path = tmp_path / "cut.xml"
    path.write_bytes(whole[: len(whole) // 2])
    assert "looks cut short (truncated)" in _refused(path)


def test_a_file_that_is_not_xml_is_refused(tmp_path: Path, social_care: None) -> None:
    path = tmp_path / "cin.xml"
    path.write_text("LAchildID,UPN\nCS1,A990200019100\n", encoding="utf-8")
    assert "cin.xml is not an XML file (line 1: Start tag expected" in _refused(path)
    path.write_bytes(b"")
    assert "cin.xml is empty: it has no XML in it" in _refused(path)


def test_another_xml_document_is_refused_by_the_schema(tmp_path: Path, social_care: None) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><Pupils><Pupil/></Pupils>", encoding="utf-8")
    assert "<Pupils> is not <Message>, the root element of a CIN census file" in _refused(path)


def test_a_file_not_in_its_declared_encoding_is_refused(tmp_path: Path, social_care: None) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes((HEAD + child("CS00000é") + TAIL).encode("latin-1"))
    assert "is not in the text encoding its XML declaration states" in _refused(path)


def test_entity_expansion_billion_laughs_is_refused(tmp_path: Path, social_care: None) -> None:
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    path = tmp_path / "lol.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY lol0 "lol">'
        + lol
        + "]>\n"
        + HEAD.split("\n", 1)[1].replace("<LEA>990</LEA>", "<LEA>&lol9;</LEA>")
        + child()
        + TAIL,
        encoding="utf-8",
    )
    message = _refused(path)
    assert "lol.xml has a document type declaration" in message
    assert "refused unread, so that no entity in it is ever expanded" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, social_care: None
) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # a sparse 2 GB file: nothing is written to disk
    message = _refused(path)
    assert "more than the import limit of 2,147,483,648 bytes" in message
    assert not ImportRun.objects.exists()  # refused before it was archived or recorded


def test_importing_the_same_census_again_changes_nothing(tmp_path: Path, social_care: None) -> None:
    path = _write(tmp_path, child(closure=CLOSED))
    _import(path)
    before = (list(SourceRecord.objects.values()), list(Event.objects.values()))
    again = _import(path)
    assert again.status == ImportStatus.ALREADY_IMPORTED
    copy = _write(tmp_path, child(closure=CLOSED), name="copy-with-new-name.xml")
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rerun = _import(copy)  # different bytes, same content: nothing new
    assert (rerun.status, rerun.rows_loaded, rerun.rows_new, rerun.rows_changed) == (
        ImportStatus.LOADED,
        1,
        0,
        0,
    )
    after = (list(SourceRecord.objects.values()), list(Event.objects.values()))
    assert after == before
