"""The synthetic area's service directory: an Open Referral UK (v1) file of invented services,
imported through the real importer and some linked to the demo agencies that receive referrals.

Every organisation and service here is made up (the borough's fictional towns and postcodes;
no real charity or company). Review dates are relative to the area's reference date: most were
reviewed in the last year, a few are stale (over 12 months, or never), a few are not active,
and one entry is deliberately wrong (minimum age above maximum) so the import report shows a
rejected service.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from joinedup.demo.generator import Area
from joinedup.demo.names import BOROUGH, POSTCODE_UNIT_LETTERS, TOWNS
from joinedup.directory.models import DirectoryImport
from joinedup.directory.services import directory_import, service_link
from joinedup.governance.models import Agency

FILE_NAME = "directory-oruk.json"

# code | name | receiving agency/team in joinedup ("-": none), then its description indented
ORGANISATIONS_TEXT = """\
early-help | {BOROUGH} Early Help Service | early-help/family-support
    The council's family support service.
youth | {BOROUGH} Youth Service | youth-service/targeted-youth
    Youth clubs and targeted youth support.
health | Joinedup Community Health NHS Trust | health/school-nursing
    Community health services for children.
lanterns | Lanterns Family Support | voluntary-sector/key-workers
    A local charity supporting families.
housing | {BOROUGH} Housing Options | housing/housing-options
    Housing advice and homelessness prevention.
yjs | {BOROUGH} Youth Justice Service | youth-justice/yjs
    Prevention and diversion for young people.
brightwater | Brightwater Family Trust | -
    Parenting and early years support.
kettlewick-carers | Kettlewick Young Carers Project | -
    Support for young carers.
millbridge-food | Millbridge Community Pantry | -
    Food and essentials for families.
stonemoor-boxing | Stonemoor Boxing and Fitness CIC | -
    Sport and mentoring.
fernleigh-circle | Fernleigh Bereavement Circle | -
    Bereavement support.
canal-side | Canal Side Counselling Collective | -
    Talking therapies.
westmoor-safe | Westmoor Safe Homes Partnership | -
    Domestic abuse support.
ashcombe-send | Ashcombe Vale SEND Parents Forum | -
    Peer support for SEND families.
"""

# org: service name | category | ages ("-" for none), then its description indented
SERVICES_TEXT = """\
early-help: Family support key work | Family support | 0-18
    A named key worker for families with additional needs, working to a family plan.
early-help: Parenting programme (group) | Parenting | 0-12
    A ten-week evidence-based parenting group for parents and carers.
early-help: Family hub drop-in | Family support | 0-19
    Advice and activities for families at the family hub.
early-help: Reducing parental conflict | Parenting | 0-18
    Support for parents whose conflict is affecting their children.
youth: Targeted youth support | Youth work | 11-19
    One-to-one youth work for young people at risk of exploitation or harm.
youth: Open access youth club | Youth work | 11-19
    Evening youth clubs in each town.
youth: Detached youth work | Youth work | 11-25
    Youth workers meeting young people in parks and town centres.
health: School nursing | Health | 5-19
    Health advice, drop-ins and emotional health support in schools.
health: Health visiting | Health | 0-5
    Health visitors for families with babies and young children.
health: Children's emotional wellbeing service | Mental health | 5-18
    Early support for anxiety, low mood and emotional wellbeing.
health: Speech and language drop-in | Speech and language | 0-7
    Advice on speech, language and communication for young children.
lanterns: Family mentoring | Family support | 0-18
    Volunteer mentors for families going through a hard time.
lanterns: Holiday activity club | Activities | 5-16
    Activities and a meal in the school holidays.
housing: Young people's housing advice | Housing | 16-25
    Advice for young people at risk of homelessness.
housing: Family homelessness prevention | Housing | -
    Help for families at risk of losing their home.
yjs: Prevention and diversion | Youth justice | 10-17
    Voluntary support for young people at risk of offending.
brightwater: Baby and toddler group | Early years | 0-4
    Weekly play sessions for babies and toddlers with their parents.
brightwater: Dads' group | Parenting | 0-18
    Peer support for fathers.
brightwater: Perinatal peer support | Mental health | 0-2
    Peer support for parents with low mood in pregnancy and after birth.
kettlewick-carers: Young carers club | Young carers | 8-18
    Breaks and peer support for young carers.
kettlewick-carers: Young carers assessment support | Young carers | 5-18
    Help to explain a young carer's role and get support at school.
millbridge-food: Community pantry | Food | -
    Low-cost food and essentials, no referral needed.
millbridge-food: School uniform exchange | Food | 4-16
    Free pre-loved school uniform.
stonemoor-boxing: Boxing mentoring | Sport | 10-18
    Boxing sessions with a mentor for young people finding school hard.
stonemoor-boxing: Girls' fitness club | Sport | 11-18
    Fitness sessions for girls.
fernleigh-circle: Children's bereavement support | Bereavement | 4-18
    One-to-one and group support for bereaved children.
fernleigh-circle: Bereaved parents group | Bereavement | -
    Support for parents after the death of a child or partner.
canal-side: Counselling for young people | Mental health | 11-25
    Short-term counselling for young people.
canal-side: Play therapy | Mental health | 4-11
    Play therapy for younger children who have experienced trauma.
canal-side: Online chat support | Mental health | 13-25
    Text-based support.
westmoor-safe: Children and young people's domestic abuse service | Domestic abuse | 4-18
    Support for children who have lived with domestic abuse.
westmoor-safe: Healthy relationships programme | Domestic abuse | 13-19
    Group work on healthy relationships for teenagers.
westmoor-safe: Safe accommodation advice | Housing | -
    Advice on safe accommodation for families fleeing abuse.
ashcombe-send: SEND parent peer support | SEND | 0-25
    Peer support for parents of children with special educational needs.
ashcombe-send: Autism-friendly swim | SEND | 4-18
    Quiet swimming sessions.
ashcombe-send: Short breaks information | SEND | 0-18
    Information on short breaks for disabled children.
youth: Outdoor achievement award | Activities | 14-18
    An outdoor achievement award run by the youth service.
early-help: Attendance support | Education | 5-16
    Help for families when a child is missing school.
health: Enuresis clinic | Health | 5-16
    Help for children who wet the bed.
lanterns: Kinship carers support | Family support | 0-18
    Support for grandparents and relatives raising children.
"""


def _organisations() -> list[tuple[str, str, str, tuple[str, str] | None]]:
    lines = ORGANISATIONS_TEXT.splitlines()
    rows = []
    for head, description in zip(lines[::2], lines[1::2], strict=True):
        code, name, link = (part.strip() for part in head.split("|"))
        agency, _, team = link.partition("/")
        name = name.replace("{BOROUGH}", BOROUGH)
        rows.append((code, name, description.strip(), (agency, team) if team else None))
    return rows


def _age(text: str) -> int | None:
    return int(text) if text else None


def _services() -> list[tuple[str, str, str, int | None, int | None, str]]:
    lines = SERVICES_TEXT.splitlines()
    rows = []
    for head, description in zip(lines[::2], lines[1::2], strict=True):
        org, _, rest = head.partition(": ")
        name, category, ages = (part.strip() for part in rest.split("|"))
        low, _, high = ages.strip("-").partition("-")
        rows.append((org, name, category, _age(low), _age(high), description.strip()))
    return rows


ORGANISATIONS = _organisations()
SERVICES = _services()

# (service index, status) for the services that are not active.
NOT_ACTIVE = {5: "temporarily closed", 22: "defunct", 29: "inactive", 36: "inactive"}
STALE = {11, 17, 24, 33}  # reviewed 13-30 months before the reference date
NEVER_REVIEWED = {27}
WRONG_AGES = 12  # the holiday club's entry has its ages the wrong way round


def _location(rng: random.Random, n: int) -> dict[str, Any]:
    town, districts = TOWNS[n % len(TOWNS)]
    letters = POSTCODE_UNIT_LETTERS
    postcode = f"{districts[0]} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return {
        "id": f"demo-loc-{n:02d}",
        "name": f"{town} Family Hub" if n % 3 else f"{town} Community Centre",
        "latitude": round(53.40 + rng.random() / 10, 5),
        "longitude": round(-1.60 + rng.random() / 10, 5),
        "physical_addresses": [
            {
                "id": f"demo-addr-{n:02d}",
                "address_1": f"{rng.randint(1, 99)} High Street",
                "city": town,
                "postal_code": postcode,
                "country": "GB",
            }
        ],
    }


def directory_services(area: Area) -> list[dict[str, Any]]:
    """The demo's services as ORUK v1 JSON objects (the same area gives the same list)."""
    rng = random.Random(f"directory-{area.seed}")
    orgs = {code: (name, desc) for code, name, desc, _ in ORGANISATIONS}
    locations = [_location(rng, n) for n in range(12)]
    out = []
    for i, (org, name, taxonomy, low, high, description) in enumerate(SERVICES):
        if i in STALE:
            reviewed = area.reference_date - timedelta(days=rng.randint(400, 900))
        else:
            reviewed = area.reference_date - timedelta(days=rng.randint(3, 330))
        if i == WRONG_AGES:
            low, high = 16, 5
        service: dict[str, Any] = {
            "id": f"demo-svc-{i + 1:02d}",
            "name": name,
            "description": description,
            "url": f"https://{org}.example.invalid/",
            "email": f"hello@{org}.example.invalid",
            "status": NOT_ACTIVE.get(i, "active"),
            "assured_date": None if i in NEVER_REVIEWED else reviewed.isoformat(),
            "organization": {
                "id": f"demo-org-{org}",
                "name": orgs[org][0],
                "description": orgs[org][1],
                "url": f"https://{org}.example.invalid/",
            },
            "eligibilitys": []
            if low is None and high is None
            else [
                {
                    "id": f"demo-el-{i + 1:02d}",
                    "eligibility": "age",
                    "minimum_age": low,
                    "maximum_age": high,
                }
            ],
            "service_taxonomys": [
                {
                    "id": f"demo-tx-{i + 1:02d}",
                    "taxonomy": {
                        "id": f"demo-{taxonomy.lower().replace(' ', '-')}",
                        "name": taxonomy,
                        "vocabulary": "demo",
                    },
                }
            ],
            "contacts": [
                {
                    "id": f"demo-c-{i + 1:02d}",
                    "phones": [{"number": f"01632 96{rng.randint(0, 9999):04d}"}],
                }
            ],
            "service_at_locations": [
                {"id": f"demo-sal-{i + 1:02d}", "location": locations[(i * 5) % len(locations)]}
            ],
        }
        out.append(service)
    return out


def write_directory(area: Area, out_dir: Path) -> Path:
    """Write the directory as one page of an ORUK v1 `/services` response."""
    services = directory_services(area)
    page = {
        "totalElements": len(services),
        "totalPages": 1,
        "number": 1,
        "size": len(services),
        "first": True,
        "last": True,
        "content": services,
    }
    path = Path(out_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def directory_import_and_link(area: Area, out_dir: Path) -> DirectoryImport:
    """Write, import (the real importer) and link services to the demo agencies that exist."""
    run = directory_import(actor=None, path=write_directory(area, out_dir))
    links = {f"demo-org-{code}": link for code, _, _, link in ORGANISATIONS if link}
    agencies = set(Agency.objects.values_list("code", flat=True))
    for service in directory_services(area):
        link = links.get(service["organization"]["id"])
        if link is None or link[0] not in agencies or service["status"] != "active":
            continue
        if service["id"] == f"demo-svc-{WRONG_AGES + 1:02d}":
            continue  # rejected by the import
        service_link(actor=None, oruk_id=service["id"], agency_code=link[0], team_code=link[1])
    return run
