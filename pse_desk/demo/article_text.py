"""Sentence stock for demo articles: per-section titles, claims, headings, sentences and lists.

All of it is written for PSE Desk in the manner of a public-sector trade magazine; the
``{slots}`` are filled by ``vocabulary.fill``. ``GENERAL`` sentences fit any section.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionText:
    name: str
    slug: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    claims: tuple[str, ...]      # the argument of the standfirst, before "writes ..."
    headings: tuple[str, ...]
    sentences: tuple[str, ...]
    list_items: tuple[str, ...]


GENERAL = (
    "Nobody who has sat through a budget-setting meeting this year will be surprised by that.",
    "The temptation is to treat this as a problem for Whitehall alone, but that would be a "
    "mistake.",
    "Officers at {council} put it more bluntly: the easy savings went a decade ago.",
    "What matters now is whether the promises made in the spring survive contact with the "
    "autumn numbers.",
    "Residents rarely see the machinery behind a service until it stops working.",
    "There is a quieter story underneath the headline figures, and it is worth telling.",
    "Over the past {months} months the picture has shifted faster than most forecasts allowed.",
    "The lesson from {place} is that patience and a clear plan beat a glossy launch.",
    "A survey of {num} frontline staff found that {pct}% felt they had been consulted properly.",
    "Scrutiny committees have started asking sharper questions, and that is healthy.",
    "None of this happens without people who know their neighbourhoods street by street.",
    "Short-term grants have kept services open, but they have also made planning almost "
    "impossible.",
    "The sector has heard the word transformation so often that it risks meaning nothing.",
    "Leaders who have done this well talk less about structures and more about relationships.",
    "It would be easy to blame the pandemic years, yet the pressures were building long before.",
    "Partners across {region} now share a single set of figures, which ends a lot of arguments.",
    "The evidence from pilot areas is encouraging, if not yet conclusive.",
    "Every pound spent on prevention here has to be found from a budget already stretched thin.",
    "A good deal depends on the next spending review, due before the end of {year}.",
    "That is not an argument for doing nothing; it is an argument for doing the right thing first.",
    "Voluntary groups have filled gaps that statutory services were never funded to close.",
    "Staff turnover in some teams has reached {pct}%, and every departure takes knowledge with it.",
    "Members of the public, asked in a citizens' panel, were clearer about priorities than many "
    "politicians.",
    "There will be setbacks, and honesty about them will do more for trust than any campaign.",
    "It is worth remembering how recently this would have seemed unthinkable.",
    "The work is unglamorous, but it is where most of the value lies.",
    "Auditors have noted progress while warning that the hardest decisions are still to come.",
    "Local knowledge, it turns out, is not a soft asset but a hard one.",
)

QUOTES = (
    "We stopped asking what the system needed and started asking what a family on a Tuesday "
    "night actually needs.",
    "You cannot cut your way to a better service, but you can redesign your way there.",
    "The money matters, of course, but certainty about the money matters almost as much.",
    "Our residents are not customers of one department; they are citizens of the whole place.",
    "If a plan only works when everything goes right, it is not a plan.",
    "We publish our performance every month, including the months we would rather forget.",
    "Devolution is only real when the people affected can see where a decision was made.",
    "The best digital service is the one nobody has to think about.",
    "We built it with the people who use it, which is why they trust it.",
    "Prevention always loses the argument in a single year and wins it over five.",
    "Housing is health policy by another name.",
    "Good data does not replace judgement; it gives judgement something to work with.",
)

LINKS = (
    ("the full report", "https://example.org/reports/local-services-{year}"),
    ("the consultation", "https://example.org/consultations/{place_slug}"),
    ("the published dashboard", "https://example.org/dashboards/{place_slug}"),
    ("the commission's call for evidence", "https://example.org/commission/evidence"),
)

SECTIONS = (
    SectionText(
        name="Service Transformation", slug="service-transformation",
        tags=("transformation", "localism", "commissioning", "workforce", "prevention"),
        titles=(
            "Redesigning services from the doorstep up",
            "Why the next wave of reform must start with residents",
            "Transformation without the jargon",
            "What {place} learned from closing its contact centre",
            "The case for slower, deeper change",
            "Beyond the restructure: making reform stick",
        ),
        claims=(
            "Councils that have redesigned services around people rather than departments are "
            "seeing results, but the lessons travel slowly",
            "Reform programmes too often end with a new organisation chart and the same old "
            "problems",
            "The next round of public service reform has to be built with residents, not "
            "announced to them",
        ),
        headings=("Starting with the resident", "What the pilots showed", "Culture before "
                  "structure", "Measuring what matters", "The role of the frontline",
                  "Making it last", "Where next"),
        sentences=(
            "{council} replaced seven separate assessment forms with a single conversation, "
            "and waiting times fell by {pct}%.",
            "The council's early help teams now sit alongside housing officers rather than two "
            "floors away.",
            "Commissioning is moving from fifteen-page specifications to outcomes agreed with "
            "providers.",
            "A neighbourhood model tested in {place} is being extended to {num} more households.",
            "Managers were given permission to stop doing things, which proved harder than it "
            "sounds.",
            "Front-line staff in {place} now hold small budgets they can spend without a "
            "form.",
            "The redesign cost {money} over three years and is forecast to pay for itself by "
            "{year}.",
            "Demand for {service} did not fall, but the share of cases resolved at first contact "
            "rose sharply.",
            "Several authorities have dropped annual transformation targets in favour of "
            "quarterly learning reviews.",
            "The biggest change, officers say, was in who gets invited to the first meeting.",
            "Residents' panels reviewed every new letter before it was sent.",
            "Each team now reports three measures, chosen with the people it serves.",
        ),
        list_items=(
            "one front door for residents, whatever the service",
            "budgets held by neighbourhood teams",
            "outcome measures agreed with residents",
            "quarterly learning reviews instead of annual targets",
            "fewer forms and more conversations",
            "shared case records across partners",
            "time set aside for staff to redesign their own processes",
        ),
    ),
    SectionText(
        name="Devolution", slug="devolution",
        tags=("devolution", "combined authorities", "mayors", "local democracy", "funding deals"),
        titles=(
            "Making devolution deals work for the places that sign them",
            "Mayors, money and the missing middle",
            "Devolution needs neighbourhoods, not just regions",
            "A single pot at last: what changes for {region}",
            "Power closer to people: the unfinished job",
            "Trailblazer deals and the test of trust",
        ),
        claims=(
            "Devolution has moved power to the sub-regional level, but communities are still "
            "waiting for their share",
            "Integrated settlements give combined authorities real flexibility for the first "
            "time, and real responsibility",
            "The next devolution settlement must be judged on what residents notice, not on "
            "what Whitehall signs",
        ),
        headings=("The deal on the table", "Accountability and scrutiny", "Neighbourhoods "
                  "first", "Money with fewer strings", "Turnout and trust", "What the mayors "
                  "want", "Looking ahead"),
        sentences=(
            "{ca} will receive a single funding settlement worth {bn} from {year}.",
            "Turnout at the last mayoral election was below {pct}%, which should worry everyone "
            "who believes in the project.",
            "Constituent councils have agreed to pool their transport budgets for the first "
            "time.",
            "A new overview and scrutiny committee meets in public every month.",
            "The mayor's office has promised to publish every funding decision within "
            "{weeks} weeks.",
            "Parish and town councils across {region} want a formal voice in the new "
            "arrangements.",
            "Skills funding is the power most leaders say they would take first.",
            "Business leaders welcomed the deal but asked for a clearer route to planning "
            "reform.",
            "Competitive bidding rounds have cost councils in {region} an estimated "
            "{money} in staff time.",
            "The deal includes a commitment to review governance after {months} months.",
            "Critics argue the new body risks pulling decisions away from neighbourhoods.",
            "Supporters point to the faster delivery of bus franchising as early proof.",
        ),
        list_items=(
            "a single multi-year funding settlement",
            "local control of adult skills budgets",
            "franchised bus services",
            "a public register of mayoral decisions",
            "a role for town and parish councils",
            "joint planning for housing and transport",
        ),
    ),
    SectionText(
        name="Health & Social Care", slug="health-social-care",
        tags=("social care", "NHS", "integrated care", "public health", "workforce"),
        titles=(
            "Integration is a relationship, not a restructure",
            "Social care funding: the cliff edge returns",
            "Keeping people well at home in {place}",
            "Discharge delays and the cost of waiting",
            "Public health budgets and the prevention promise",
            "The care workforce cannot wait another winter",
        ),
        claims=(
            "Integrated care boards and councils are learning to share budgets and risk, but "
            "only trust will make it last",
            "Without a settled funding model, social care will keep lurching from crisis grant "
            "to crisis grant",
            "Prevention is the cheapest care there is, so why is it always the first budget to "
            "go",
        ),
        headings=("The state of the system", "Hospital to home", "A workforce under strain",
                  "Pooling budgets", "Prevention in practice", "What would help"),
        sentences=(
            "{trust} reported {num} bed days lost to delayed discharge last winter.",
            "{icb} and its councils now hold a pooled budget of {money} for community care.",
            "Vacancy rates among care workers in {region} remain above {pct}%.",
            "A home-first discharge model in {place} has cut average hospital stays by "
            "{smallpct} days.",
            "Domiciliary care providers say fee uplifts have not kept pace with the wage floor.",
            "Public health teams have redirected funding towards smoking cessation and "
            "healthy weight programmes.",
            "Carers' assessments rose by {pct}% after the council simplified the form.",
            "Social prescribing link workers now sit in every primary care network in {place}.",
            "The council's reablement service helps {pct}% of users live without ongoing care.",
            "Hospital and council staff now meet every morning to plan discharges together.",
            "Unpaid carers remain the largest and least recognised part of the system.",
            "A shared care record means a district nurse no longer has to repeat questions "
            "asked in hospital.",
        ),
        list_items=(
            "a fair cost of care for providers",
            "multi-year funding for prevention",
            "a career structure for care workers",
            "shared records between hospital and home",
            "support for unpaid carers",
            "pooled budgets with shared targets",
        ),
    ),
    SectionText(
        name="Finance", slug="finance",
        tags=("budgets", "council tax", "audit", "funding reform", "section 114"),
        titles=(
            "Balancing the books without breaking the services",
            "The audit backlog and the price of uncertainty",
            "What a multi-year settlement would really change",
            "Reserves are not a strategy",
            "Council tax, fairness and the long-promised revaluation",
            "Capital ambitions meet borrowing realities in {place}",
        ),
        claims=(
            "One-year settlements force councils to plan in pencil, and residents pay for the "
            "uncertainty",
            "The number of councils warning of a section 114 notice should alarm anyone who "
            "relies on local services",
            "Funding reform has been promised for years; the next spending review is the moment "
            "to deliver it",
        ),
        headings=("The gap in numbers", "Why one-year deals hurt", "Reserves and risk",
                  "Audit and assurance", "Fair funding", "What councils are asking for"),
        sentences=(
            "{council} faces a budget gap of {money} over the next three years.",
            "Council tax rose by {smallpct}% this year, the maximum allowed without a "
            "referendum.",
            "Reserves at {council} have fallen to the equivalent of {weeks} weeks of spending.",
            "Nearly {pct}% of a typical county budget now goes on social care for adults and "
            "children.",
            "The backlog of unaudited accounts has left members taking decisions on figures "
            "nobody has checked.",
            "Finance directors want a settlement that covers at least three years.",
            "Borrowing costs on the capital programme have risen by {money} since the plan was "
            "approved.",
            "A revaluation of council tax bands has not happened in a generation.",
            "Fees and charges now raise more than {pct}% of income in some districts.",
            "The section 151 officer warned members that the plan relied on savings not yet "
            "identified.",
            "Exceptional financial support has become less exceptional with every passing year.",
            "Spending on temporary accommodation alone has grown by {pct}% in two years.",
        ),
        list_items=(
            "a multi-year funding settlement",
            "an end to competitive bidding for small grants",
            "a council tax revaluation",
            "clearing the audit backlog",
            "flexibility to use capital receipts for reform",
            "a fair funding review that reflects deprivation",
        ),
    ),
    SectionText(
        name="Housing", slug="housing",
        tags=("housing", "planning", "homelessness", "social rent", "building safety"),
        titles=(
            "Building the homes, not just counting them",
            "Temporary accommodation and the hidden housing crisis",
            "Why social rent has to come back to the centre",
            "Safe homes after the cladding crisis",
            "Planning reform and the view from {place}",
            "Estate regeneration that residents can believe in",
        ),
        claims=(
            "Housing targets mean little without the money and the builders to meet them",
            "Councils are spending more on temporary accommodation than on almost any other "
            "discretionary service",
            "The return of council housebuilding is real, but it needs long-term certainty to "
            "grow",
        ),
        headings=("The scale of need", "Getting homes built", "Temporary accommodation",
                  "Safety and standards", "Working with residents", "What government can do"),
        sentences=(
            "{council} has set a target of {homes} new homes by {year}.",
            "More than {num} households in {region} are living in temporary accommodation.",
            "The council's housing company completed its first {homes} homes for social rent.",
            "Right to Buy receipts cover only a fraction of the cost of a replacement home.",
            "Residents voted in a ballot to back the regeneration of the {place} estate.",
            "Remediation work on high-rise blocks in {place} is due to finish by {year}.",
            "Planning departments have lost around {pct}% of their staff over a decade.",
            "A new damp and mould team responds to reports within {weeks} days.",
            "Small builders say the cost of materials remains their biggest risk.",
            "The local plan allocates brownfield sites before any green belt release.",
            "Private rents in {place} have risen by {pct}% in three years.",
            "Homelessness prevention duties start earlier now, but caseloads have grown too.",
        ),
        list_items=(
            "long-term funding for social rent",
            "properly staffed planning departments",
            "powers to buy land at fair value",
            "faster remediation of unsafe buildings",
            "prevention funding for homelessness",
            "resident ballots on regeneration",
        ),
    ),
    SectionText(
        name="Digital", slug="digital",
        tags=("digital", "data", "cyber security", "AI", "legacy systems"),
        titles=(
            "Digital services that people actually finish",
            "Legacy systems and the cost of standing still",
            "Using AI in public services without losing trust",
            "Cyber resilience is a board-level question",
            "Shared platforms and the end of reinventing the wheel",
            "Open data in {place}: a year on",
        ),
        claims=(
            "Digital transformation succeeds when it fixes the service behind the screen, not "
            "just the screen",
            "Councils that invested in data foundations are now the ones able to use new tools "
            "safely",
            "Every authority needs a plan for the day its systems go dark",
        ),
        headings=("The service behind the screen", "Data foundations", "Legacy and lock-in",
                  "Security and resilience", "Using AI responsibly", "Skills and culture"),
        sentences=(
            "{council} rebuilt its bin collection service online and completion rates rose to "
            "{pct}%.",
            "Around {pct}% of the council's IT budget still goes on keeping old systems running.",
            "A shared platform used by {num} residents replaced four separate portals.",
            "The authority now publishes its service data openly every month.",
            "A cyber incident at a neighbouring council cost an estimated {money} to recover "
            "from.",
            "Assisted digital support is offered in every library in {place}.",
            "Staff were trained before the new case management system went live, not after.",
            "An AI tool now drafts responses to routine enquiries, which officers check before "
            "sending.",
            "Contracts are being renegotiated so the council owns its data outright.",
            "User researchers tested the new forms with residents in {place} before launch.",
            "The council's data team is small, but it reports to the chief executive.",
            "Multi-factor authentication is now mandatory for every member of staff.",
        ),
        list_items=(
            "services designed with the people who use them",
            "data owned by the council, not the supplier",
            "a tested plan for a cyber incident",
            "assisted digital help in libraries",
            "human review of every AI-drafted decision",
            "shared platforms across authorities",
        ),
    ),
)
