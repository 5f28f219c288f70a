"""The demo site's content. The seed post follows ../shared/seed/ (copied as seed.txt) block by block.

Where the seed is silent (credentials, bibliographic details, products) the values are demo values,
marked as such, for editors and medical reviewers to replace.
"""

from decimal import Decimal

EXPERTS = [
    {
        "slug": "marie-tudor",
        "honorific": "Dr.",
        "name": "Marie Tudor",
        "credentials": "Medical sexologist",
        "specialty": "Sexology",
        "bio": "<p>Dr. Marie Tudor is a medical sexologist.</p>",
    },
    {
        "slug": "tantry",
        "honorific": "Dr.",
        "name": "Tantry",
        # The seed cuts off after "says Dr. Tantry of"; the credentials are a demo value.
        "credentials": "Sex and relationship therapist (demo)",
        "specialty": "Relationships",
        "bio": "<p>Dr. Tantry speaks about intimacy and relationships.</p>",
    },
    {
        "slug": "ana-reyes",
        "honorific": "Dr.",
        "name": "Ana Reyes",
        "credentials": "MD, OB-GYN (demo)",
        "specialty": "Obstetrics and gynecology",
        "affiliation": "Verity medical review board (demo)",
        "bio": "<p>A demo medical reviewer. Sign in as <code>reviewer</code> to review as her.</p>",
        "reviewer_username": "reviewer",
    },
]

SOURCES = {
    "psychcentral": {
        "title": "Postcoital dysphoria: why you might feel sad after sex",
        "publisher": "PsychCentral",
        "kind": "website",
        "url": "https://psychcentral.com/",
    },
    "males-2019": {
        "title": "Postcoital Dysphoria: Prevalence and Correlates Among Males",
        "authors": "Maczkowiack J, Schweitzer RD",
        "publisher": "Journal of Sex & Marital Therapy",
        "year": 2019,
        "kind": "survey",
    },
    "postcoital-2020": {
        # The seed names the study only by its year and sample; a reviewer completes the citation.
        "title": "Survey of postcoital symptoms in 223 women and 76 men",
        "year": 2020,
        "kind": "survey",
    },
    "jsmh-survey": {
        "title": "Survey of respondents on crying during and after sex",
        "publisher": "Journal of Sexual and Mental Health",
        "kind": "survey",
    },
}

PRODUCTS = [
    {
        "sku": "VER-LUBE-01",
        "variant_id": 41000000001,  # the demo store's variant, for cart links
        "title": "Silk Touch Water-Based Lubricant",
        "price": "18.00",
        "compare_at_price": "22.00",
        "summary": "Body-safe, fragrance-free and gentle on sensitive skin.",
    },
    {
        "sku": "VER-WAND-01",
        "variant_id": 41000000002,  # the demo store's variant, for cart links
        "title": "Rechargeable Wand Massager",
        "price": "89.00",
        "compare_at_price": "109.00",
        "summary": "Whisper-quiet, waterproof, ten settings.",
    },
    {
        "sku": "VER-OIL-01",
        "variant_id": 41000000003,  # the demo store's variant, for cart links
        "title": "Aftercare Massage Oil",
        "price": "24.00",
        "summary": "A calming blend of sweet almond and lavender.",
    },
    {
        "sku": "VER-SOAK-01",
        "variant_id": 41000000004,  # the demo store's variant, for cart links
        "title": "Soothing Bath Soak",
        "price": "16.00",
        "availability": "low_stock",
        "summary": "Magnesium salts for a slow, warm wind-down.",
    },
    {
        "sku": "VER-CARDS-01",
        "variant_id": 41000000005,  # the demo store's variant, for cart links
        "title": "Conversation Cards for Couples",
        "price": "20.00",
        "summary": "Fifty prompts for talking about sex, feelings and aftercare.",
    },
    {
        "sku": "VER-ROBE-01",
        "variant_id": 41000000006,  # the demo store's variant, for cart links
        "title": "Organic Cotton Robe",
        "price": "68.00",
        "availability": "out_of_stock",
        "summary": "Soft, breathable and made to be lived in.",
    },
]

COLLECTIONS = [
    {
        "slug": "the-sex-collection",
        "title": "The Sex Collection",
        "intro": "Our favourite essentials for pleasure and comfort.",
        "products": ["VER-LUBE-01", "VER-WAND-01", "VER-OIL-01", "VER-CARDS-01"],
    },
    {
        "slug": "aftercare-bundle",
        "title": "The Aftercare Bundle",
        "bundle_price": "49.00",
        "intro": "Everything for the moments after: oil, a warm bath and something to talk about.",
        "products": ["VER-OIL-01", "VER-SOAK-01", "VER-CARDS-01"],
    },
]


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


SEED_POST = {
    "slug": "what-it-means-if-you-cry-after-sex",
    "title": "What It Means If You Cry After Sex",
    "dek": "You're completely normal, we promise.",
    "tags": ["Sex", "Emotional health", "Postcoital dysphoria"],
    "body": [
        paragraph(
            "Sex is supposed to be a fun, pleasurable, and hopefully liberating activity. And if you’ve "
            "ever experienced a sudden burst of tears post-coitus, you’re not alone."
        ),
        paragraph(
            "Crying after sex doesn’t necessarily mean you’re sad—in fact, it’s sometimes a happy release "
            "of emotion (coined, “crymaxing”)."
        ),
        paragraph(
            "On the flip side, those tears can come with intense, negative emotions. In scientific terms, "
            "this is typically referred to as postcoital dysphoria (PCD) or postcoital tristesse (from the "
            "French word for “sadness”)."
        ),
        heading("What Is Postcoital Dysphoria?"),
        (
            "claim",
            {
                "statement": "According to PsychCentral, “postcoital dysphoria is a condition where you feel "
                "sad, anxious, or irritable after sex.”",
                "sources": ["psychcentral"],
            },
        ),
        paragraph("Symptoms of PCD can include the following:"),
        (
            "list",
            {
                "style": "ul",
                "items": [
                    "Depression",
                    "Crying",
                    "Anxiety",
                    "Irritation or aggression",
                    "Regret or guilt",
                    "Shame",
                    "Numbness or emptiness",
                    "Panic attacks",
                ],
            },
        ),
        heading("Is Crying After Sex Normal?"),
        (
            "expert_quote",
            {
                "expert": "marie-tudor",
                "quote": "With the 'letting go' that happens with orgasm, there can also be a letting go "
                "of emotions. For some people, that can involve crying.",
                "sources": [],
            },
        ),
        paragraph("While more research needs to be done on the topic, PCD seems fairly common."),
        (
            "statistic",
            {
                "figure": "41",
                "unit": "percent",
                "statement": "Results from a 2019 survey of 1,208 men found that 41% have experienced PCD in "
                "their lifetime, while 20.2% had experienced it in the previous four weeks.",
                "population": "men",
                "sample_size": 1208,
                "year": 2019,
                "sources": ["males-2019"],
            },
        ),
        (
            "statistic",
            {
                "figure": "91.9",
                "unit": "percent",
                "statement": "Another survey from 2020 of 223 women and 76 men found that 91.9% reported "
                "postcoital symptoms over the past four weeks and 94.3% since they had been "
                "sexually active.",
                "population": "women and men",
                "sample_size": 299,
                "year": 2020,
                "sources": ["postcoital-2020"],
            },
        ),
        (
            "claim",
            {
                "statement": "The most common symptoms women experienced were mood swings and sadness, whereas "
                "in men, it was unhappiness and low energy.",
                "sources": ["postcoital-2020"],
            },
        ),
        heading("What Causes Crying After Sex?"),
        paragraph("Reasons for tearing up after sex range from emotional to physical."),
        (
            "expert_quote",
            {
                "expert": "tantry",
                "quote": "The emotional bond between you and your partner could trigger tears of joy or "
                "an overwhelming sense of love.",
                "sources": [],
            },
        ),
        (
            "quote",
            {
                "quote": "I cry during sex, but it’s because it’s so intense and feels so freaking good. I can’t "
                "control it. When it feels good, I cry.",
                "attribution": "One person, of their experience, in a survey in the Journal of Sexual and "
                "Mental Health",
                "source": "jsmh-survey",
            },
        ),
        paragraph(
            "On the flip side, you might find yourself crying sad tears when that intensity levels out, as the "
            "transition can be jarring."
        ),
        (
            "expert_quote",
            {
                "expert": "tantry",
                "quote": "Once you break that bond (i.e., the intimate physical connection of sexual "
                "intercourse) with them by completing the act, you start to feel sad.",
                "sources": [],
            },
        ),
        paragraph(
            "Realistically, we could blame hormones for just about everything, but they’re especially "
            "powerful after sex."
        ),
        paragraph(
            "Dopamine, a pleasure hormone, and oxytocin, the bonding hormone, are both released during sex. "
            "These hormones drop off pretty drastically after sex, which can often cause you to experience "
            "feelings of sadness—or bouts of crying."
        ),
        paragraph(
            "Hormones during your menstrual cycle can also be to blame. Most women are familiar with the mood "
            "swings that come with PMS, and these can impact how you feel after sex as well."
        ),
        heading("Shame or Guilt", "h3"),
        paragraph(
            "Sex can often bring up feelings of shame or guilt based on many different factors, including past "
            "trauma, the participant’s history together, whether or not the decision to have sex is "
            "regretted, or how the person felt during the encounter. All of these reasons and more can cause "
            "negative feelings about the experience and lead to sadness and crying."
        ),
        heading("Feelings About the Relationship", "h3"),
        paragraph(
            "Perhaps you slept with an ex in a moment of vulnerability, or you hoped sex could help improve a "
            "struggling marriage. Any sort of uncertainty about a relationship can be heightened after sex, "
            "causing a strong reaction afterward."
        ),
        paragraph(
            "Mental health issues, such as depression or anxiety, can lead to crying after sex. Depression "
            "affects mood, feelings of self-worth, and can significantly impact one's emotional state, making "
            "those dealing with depression more susceptible to feelings of sadness or emotional overwhelm "
            "during or after intimate moments."
        ),
        paragraph(
            "Sex can be an emotionally-charged experience that might trigger intense feelings, or can remind "
            "individuals of their vulnerabilities, insecurities, or other underlying issues."
        ),
        heading("Physical Pain", "h3"),
        paragraph(
            "For some, sex can be physically uncomfortable. Whether it’s a lack of lubrication, an infection, "
            "a health condition like endometriosis, or a psychological issue, sex might not feel good for you. "
            "This physical pain can also bring up an emotional response that may result in crying."
        ),
        heading("What to Do When Someone Cries After Sex"),
        paragraph(
            "Whether you’re the one who’s crying after sex or your partner suddenly tears up after climax, "
            "it’s important to remember there is no shame in any of it."
        ),
        paragraph(
            "If you’re the one crying, try communicating with your partner so they can understand what’s happening."
        ),
        paragraph(
            "If your partner is crying and you are unsure what to do, ask if something is wrong, offer comfort "
            "or support if they want it, or give them space to process the emotions in the moment."
        ),
        (
            "callout",
            {
                "tone": "warning",
                "title": "",
                "text": "<p>Crying after sex isn’t a bad thing, but if it’s causing issues in your relationship "
                "or seems to be caused by negative emotions that impact your life, it might be worth "
                "seeking professional help from a mental health expert.</p>",
            },
        ),
        # The seed is tagged "Emotional health", a sensitive topic: it carries a "get help" block (demo addition).
        (
            "get_help",
            {
                "heading": "Get help now",
                "intro": "If sadness after sex weighs on you, you can talk to someone.",
                "country": "US",
            },
        ),
        ("products", {"heading": "Shop Now", "products": ["VER-LUBE-01", "VER-OIL-01", "VER-CARDS-01"]}),
    ],
    "shop_the_story": [
        ("collection", "the-sex-collection"),
        ("collection", "aftercare-bundle"),
        ("product", "VER-WAND-01"),
        ("product", "VER-SOAK-01"),
    ],
}

OTHER_POSTS = [
    {
        "slug": "talking-about-aftercare",
        "title": "How to Talk to Your Partner About Aftercare",
        "dek": "What to say before, during and after, and why it helps.",
        "tags": ["Sex", "Relationships"],
        "body": [
            paragraph("Aftercare is the time you take to look after each other once sex is over."),
            heading("Start the conversation early"),
            paragraph("Talk about what feels good when you are both relaxed, not in the moment."),
            ("products", {"heading": "Shop Now", "products": ["VER-CARDS-01"]}),
        ],
        "shop_the_story": [("collection", "aftercare-bundle")],
    },
]

POST_IN_MEDICAL_REVIEW = {
    "slug": "oxytocin-after-sex",
    "title": "Oxytocin After Sex: What the Bonding Hormone Does",
    "dek": "Why you might feel close, or low, once it is over.",
    "tags": ["Sex", "Hormones"],
    "body": [
        paragraph("Oxytocin is often called the bonding hormone."),
        (
            "claim",
            {
                "statement": "Oxytocin and dopamine are both released during sex and drop off afterwards.",
                "sources": ["psychcentral"],
            },
        ),
        (
            "expert_quote",
            {"expert": "marie-tudor", "quote": "That drop can feel like a small crash, and it passes.", "sources": []},
        ),
    ],
}

DRAFT_POST = {
    "slug": "aftercare-for-one",
    "title": "Aftercare for One: Looking After Yourself After Solo Sex",
    "dek": "A draft: nobody outside the admin sees it yet.",
    "tags": ["Sex"],
    "body": [
        paragraph("Aftercare is not only for couples."),
        (
            "claim",
            {
                "statement": "Postcoital dysphoria can follow solo sex as well as partnered sex.",
                "sources": ["psychcentral"],
            },
        ),
    ],
}

# The demo reviewer's credentials, verified by the demo admin when the demo loads; they expire this many days
# after loading (demo values: replace them with the real licence and board certification).
REVIEWER_CREDENTIALS = [
    {
        "expert": "ana-reyes",
        "kind": "licence",
        "title": "MD",
        "number": "DEMO-A123456",
        "issuing_body": "Medical Board of California (demo)",
        "country": "US",
        "expires_in_days": 700,
    },
    {
        "expert": "ana-reyes",
        "kind": "board",
        "title": "Board-certified OB-GYN",
        "number": "DEMO-9876",
        "issuing_body": "American Board of Obstetrics and Gynecology (demo)",
        "country": "US",
        "expires_in_days": 500,
    },
]

# Where readers get help now, per country (Snippets → Help resources); the "get help" blocks list them.
HELP_RESOURCES = [
    {
        "country": "US",
        "name": "988 Suicide & Crisis Lifeline",
        "description": "Free, confidential support for anyone in emotional distress.",
        "phone": "988",
        "url": "https://988lifeline.org/",
        "hours": "24/7",
    },
    {
        "country": "US",
        "name": "Crisis Text Line",
        "description": "Talk by text with a trained crisis counselor.",
        "text": "Text HOME to 741741",
        "url": "https://www.crisistextline.org/",
        "hours": "24/7",
    },
    {
        "country": "GB",
        "name": "Samaritans",
        "description": "Someone to talk to, whatever you are going through.",
        "phone": "116 123",
        "url": "https://www.samaritans.org/",
        "hours": "24/7",
    },
]

DEMO_PASSWORD = "verity-demo"

USERS = [
    # username, first name, last name, group (None for the superuser)
    ("editor", "Eddie", "Editor", "Editors"),
    ("lead", "Lena", "Lead", "Editorial leads"),
    ("reviewer", "Ana", "Reyes", "Medical reviewers"),
    ("shop", "Sam", "Shop", "Shop managers"),
    ("admin", "Ada", "Admin", None),
]

# What each demo login is for, printed by load_demo beside it (the README's table of roles, in short).
USER_ROLES = {
    "editor": "writes posts and submits them for review; cannot publish",
    "lead": "approves the editorial step; publishes and schedules",
    "reviewer": "verifies claims and approves the medical step (Dr. Ana Reyes)",
    "shop": "manages products and collections",
    "admin": "everything",
}


def money(value):
    return Decimal(value) if value is not None else None
