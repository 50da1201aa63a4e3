"""Words for synthetic data: council-service topics (after the LGSL function list) and name parts.

Each topic names the Local Government Function List category it belongs to, so that generated items
land in real categories and search facets, and carries the phrases suppliers and councils really use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    category: str  # an LGSL label, as seeded
    things: tuple[str, ...]  # what a supplier offers
    benefits: tuple[str, ...]  # what a council wants to achieve (a verb phrase)
    audiences: tuple[str, ...]
    pains: tuple[str, ...]  # how things are today (a clause)
    tags: tuple[str, ...]


# Data tables: one topic per block reads better than one phrase per line.
# fmt: off
TOPICS: tuple[Topic, ...] = (
    Topic(
        "Consultations",
        ("online consultation platform", "participatory budgeting tool", "citizens' panel service",
         "deliberative workshop programme", "consultation response analysis service"),
        ("hear from more residents in our budget consultation", "reach seldom-heard groups in consultations",
         "run a citizens' assembly on climate action", "analyse thousands of consultation responses quickly"),
        ("residents", "young people", "tenants", "local businesses"),
        ("only a few hundred people answer our paper surveys", "responses take officers weeks to read and code",
         "the same voices dominate every public meeting"),
        ("engagement", "participation", "democracy"),
    ),
    Topic(
        "Adult services",
        ("hot meals at home service", "frozen meals delivery", "community meals round", "wellbeing check-in calls",
         "home care scheduling software"),
        ("keep meals at home running for rural residents", "cut the cost of community meals",
         "help older people live independently for longer", "spot early signs of decline at home"),
        ("older residents", "people leaving hospital", "disabled adults", "carers"),
        ("our meals contract ends next spring", "rural rounds are costly and drivers are hard to recruit",
         "hospital discharges are delayed while home care is arranged"),
        ("older people", "independent living", "meals at home", "social care"),
    ),
    Topic(
        "Carers",
        ("carers' support line", "respite booking service", "carer wellbeing app", "carers' assessment tool"),
        ("find and support hidden carers", "make respite easier to book", "reduce carer breakdown"),
        ("unpaid carers", "young carers", "working carers"),
        ("most carers never contact us until they reach crisis point", "respite is booked by phone and paper forms"),
        ("carers", "social care", "respite"),
    ),
    Topic(
        "Waste management",
        ("bin fill-level sensors", "refuse round optimisation", "missed bin reporting app",
         "food waste collection service", "bulky waste booking system"),
        ("reduce missed bin collections", "cut fuel use on refuse rounds",
         "make bulky waste collections bookable online"),
        ("households", "flats and estates", "crews"),
        ("missed collections generate hundreds of calls a week", "rounds have not been redesigned in ten years"),
        ("waste", "bins", "collections"),
    ),
    Topic(
        "Recycling",
        ("recycling contamination checker", "repair café programme", "reuse shop partnership",
         "recycling education campaign"),
        ("increase food waste recycling in flats", "cut contamination in recycling bins",
         "keep furniture out of landfill"),
        ("households", "students", "flats and estates"),
        ("contaminated loads are rejected at the sorting plant", "recycling rates in flats are half the average"),
        ("recycling", "reuse", "circular economy"),
    ),
    Topic(
        "Parking",
        ("parking permit system", "kerbside occupancy sensors", "cashless parking app", "blue badge fraud checks"),
        ("make resident permits digital", "show drivers where spaces are free", "tackle blue badge misuse"),
        ("residents", "visitors", "disabled drivers", "businesses"),
        ("permits are still posted out on paper", "drivers circle town centres looking for spaces"),
        ("parking", "permits", "traffic"),
    ),
    Topic(
        "Children and family care",
        ("early help case management", "foster carer recruitment campaign", "family hub booking system",
         "parenting support app"),
        ("recruit more foster carers", "help families earlier, before crisis", "join up family hub services"),
        ("families", "children in care", "foster carers", "young people"),
        ("we rely on costly agency placements", "families tell their story many times to different services"),
        ("children", "families", "early help"),
    ),
    Topic(
        "Improvements and repairs",
        ("repairs reporting app", "damp and mould sensors", "void property turnaround service",
         "planned maintenance scheduler"),
        ("fix damp and mould before it harms health", "let tenants report repairs online", "re-let empty homes faster"),
        ("tenants", "leaseholders", "repairs teams"),
        ("damp complaints have doubled in two winters", "empty homes wait weeks for repairs"),
        ("housing repairs", "damp and mould", "tenants"),
    ),
    Topic(
        "Homelessness and prevention",
        ("homelessness prevention triage", "rough sleeper outreach app", "landlord incentive scheme",
         "temporary accommodation finder"),
        ("prevent homelessness earlier", "cut the use of bed and breakfast accommodation",
         "help rough sleepers off the street"),
        ("families at risk of eviction", "rough sleepers", "private renters"),
        ("temporary accommodation costs are rising every month", "most people come to us after the eviction notice"),
        ("homelessness", "housing", "prevention"),
    ),
    Topic(
        "Community support",
        ("device lending library", "digital skills drop-in sessions", "free data SIM scheme",
         "digital champions training"),
        ("close the digital divide", "help residents get online safely", "support people to use online services"),
        ("older residents", "jobseekers", "people on low incomes", "families"),
        ("one in ten residents has never used the internet", "people queue at the library for help with forms"),
        ("digital inclusion", "skills", "community"),
    ),
    Topic(
        "Libraries",
        ("library self-service kiosks", "e-book lending platform", "open library access system",
         "library events booking"),
        ("keep libraries open for longer", "grow e-book lending", "turn libraries into community hubs"),
        ("readers", "families", "students"),
        ("opening hours were cut last year", "visitor numbers have fallen since 2020"),
        ("libraries", "reading", "culture"),
    ),
    Topic(
        "Street care and cleaning",
        ("street defect reporting app", "litter bin fill sensors", "graffiti removal service", "fly-tipping cameras"),
        ("tackle fly-tipping hotspots", "keep high streets clean", "empty litter bins before they overflow"),
        ("residents", "town centre businesses", "street cleansing teams"),
        ("fly-tipping reports rose by a third", "bins overflow at weekends"),
        ("street cleaning", "fly-tipping", "litter"),
    ),
    Topic(
        "Maintenance",
        ("pothole detection from vehicle cameras", "highway asset management system", "gully cleansing scheduler"),
        ("find potholes before residents report them", "plan road repairs with better data",
         "reduce flooding on roads"),
        ("drivers", "cyclists", "highways engineers"),
        ("our road condition survey is five years old", "insurance claims for potholes keep rising"),
        ("roads", "potholes", "highways"),
    ),
    Topic(
        "Community transport",
        ("demand-responsive minibus service", "volunteer driver scheduling", "school transport route planner"),
        ("connect rural villages to town", "cut the cost of home-to-school transport",
         "help people without a car reach appointments"),
        ("rural residents", "pupils", "older residents"),
        ("the last bus from many villages leaves at four", "home-to-school transport costs have doubled"),
        ("transport", "rural", "mobility"),
    ),
    Topic(
        "Development control",
        ("online planning application portal", "3D planning visualisation", "planning enforcement case tool"),
        ("speed up planning decisions", "help residents picture new developments", "clear the planning backlog"),
        ("applicants", "residents", "planning officers"),
        ("a quarter of applications arrive incomplete", "the backlog is over six hundred cases"),
        ("planning", "development", "housing growth"),
    ),
    Topic(
        "Advice and welfare rights",
        ("benefits eligibility calculator", "welfare advice chatbot", "debt advice referral service",
         "cost of living support finder"),
        ("help residents claim what they are entitled to", "support households with the cost of living",
         "reduce problem debt"),
        ("low-income households", "pensioners", "families"),
        ("millions in pension credit goes unclaimed locally", "advice lines are overwhelmed in winter"),
        ("benefits", "cost of living", "advice"),
    ),
    Topic(
        "Business advice and support",
        ("high street business support programme", "shop vacancy mapping", "start-up mentoring scheme"),
        ("fill empty shops on the high street", "help new businesses survive their first year",
         "grow local supply chains"),
        ("small businesses", "start-ups", "market traders"),
        ("one shop in six on the high street is empty", "few local firms bid for council contracts"),
        ("economy", "high streets", "small business"),
    ),
    Topic(
        "Volunteering and voluntary organisations",
        ("volunteer matching platform", "community grants portal", "volunteer training programme"),
        ("match volunteers to local groups", "make community grants simpler to apply for",
         "grow the number of volunteers"),
        ("volunteers", "community groups", "charities"),
        ("volunteers sign up but are never placed", "grant forms run to twenty pages"),
        ("volunteering", "community", "grants"),
    ),
    Topic(
        "Parks and open spaces",
        ("park booking system", "tree planting programme", "play area inspection app", "wildflower verge service"),
        ("plant more trees in deprived wards", "make parks safer after dark", "improve play areas"),
        ("families", "dog walkers", "friends of parks groups"),
        ("inspections are recorded on paper", "tree cover is lowest where deprivation is highest"),
        ("parks", "green spaces", "biodiversity"),
    ),
    Topic(
        "Conservation and sustainability",
        ("home energy retrofit advice", "solar panels on council buildings", "carbon accounting tool",
         "electric vehicle charge point network"),
        ("reach net zero by 2030", "cut energy bills in council buildings", "retrofit cold homes"),
        ("homeowners", "schools", "council buildings"),
        ("we cannot yet measure our own emissions", "energy bills for our buildings tripled"),
        ("net zero", "climate", "energy"),
    ),
    Topic(
        "Statistics and census information",
        ("open data publishing platform", "service performance dashboards", "population insight service"),
        ("use data to target services", "publish our data openly", "see service performance in one place"),
        ("analysts", "councillors", "service managers"),
        ("reports are built by hand from spreadsheets every month", "data sits in a dozen systems"),
        ("data", "insight", "dashboards"),
    ),
    Topic(
        "Complaints and compliments",
        ("complaints case management", "resident feedback service", "contact centre chatbot"),
        ("answer complaints on time", "learn from resident feedback", "cut waiting times on the phone"),
        ("residents", "customer service teams"),
        ("a third of complaints are answered late", "callers wait twenty minutes at peak times"),
        ("complaints", "customer service", "feedback"),
    ),
)
# fmt: on

# fmt: off
PITCH_OPENERS = ("A community-led", "A low-cost", "An accessible", "A data-led", "A co-designed", "A simple")
OFFER_BRANDS = ("Connect", "Local", "Civic", "Open", "Smart", "Community", "Simple", "Bright")
HOW = ("It works on any phone, tablet or computer and meets the WCAG 2.2 AA accessibility standard.",
    "It is hosted in the UK and certified to Cyber Essentials Plus.",
    "It can be set up within four weeks, with training for staff and volunteers.",
    "It works alongside existing case management and CRM systems through open APIs.",
    "It is run by a local social enterprise that reinvests its surplus in the community.",
    "Residents can use it in English, Welsh, Polish, Urdu and Arabic.",
    "It is designed with residents, tested in their homes and improved every fortnight.",
    "Data stays with the council and can be exported at any time.")
EVIDENCE = ("In a pilot with a district council, response rates rose by {n}%.",
    "Councils using it cut costs by {n}% in the first year.",
    "{n} residents took part in the first month of our last project.",
    "In our last project, waiting times fell by {n}%.",
    "We have worked with {small} councils and {small} housing associations.")
SUPPLIER_FIRST = ("Bright", "Civic", "Open", "Northern", "Harbour", "Kestrel", "Meadow", "Granite", "Lantern", "Beacon",
    "Riverside", "Summit", "Oak", "Willow", "Thistle", "Heron", "Maple", "Copper", "Clearwater", "True North", "Common",
    "Upstream", "Fieldwork", "Pennine", "Severn", "Mercia", "Wessex", "Cairn", "Orchard", "Lighthouse")
SUPPLIER_SECOND = ("Data", "Digital", "Care", "Insight", "Works", "Labs", "Partners", "Solutions", "Systems",
    "Analytics", "Engagement", "Mobility", "Services", "Technology", "Consulting", "Design", "Networks", "Futures",
    "Logic", "Support")
SUPPLIER_SUFFIX = ("Ltd", "Limited", "Ltd", "LLP", "Group Ltd", "Ltd", "Co-operative Ltd")
PLACES = ("Tyneside", "Mersey", "Fenland", "Cotswold", "Peak", "Solent", "Thames Valley", "Black Country", "Calder",
    "Wear", "Clyde", "Gower", "Antrim", "Dales", "Medway", "Humber", "Chiltern", "Forest", "Tamar", "Lothian")
VCSE_CAUSE = ("Community", "Carers", "Food", "Age Well", "Youth", "Digital Inclusion", "Green Spaces", "Housing",
    "Transport", "Advice", "Wellbeing", "Arts", "Family", "Refugee", "Men's Sheds")
VCSE_FORM = ("Trust", "CIC", "Foundation", "Network", "Association", "Partnership", "Collective", "Charity")
# fmt: on
