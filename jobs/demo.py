"""Demo board for `seed_demo`: companies, one company group with a two-application rule, the seed
posting (a 2025 content-safety machine-learning internship at three locations with rolling review)
and several hundred varied postings across fields, countries, currencies and pay periods.

Everything is generated from templates with a seeded random generator, so every run describes the
same postings; rows are keyed by `(source="demo", external_id)`, and a second run creates only what
is missing (nothing, normally). Postings are bulk-created and their search vectors refreshed in one
call.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from config.page_cache import bump_generation
from jobs.imports.importers import enqueue_summaries
from jobs.models import Company, CompanyGroup, Location, Posting
from jobs.sanitize import clean_html

DEMO_SOURCE = "demo"
DEMO_POSTINGS = 400
SEED = 2025

GROUP_NAME = "Parallax Group"
GROUP_COMPANIES = [
    (
        "Parallax Video",
        "https://video.parallax.example",
        "<p>Parallax Video runs a short-video platform used by 400 million people a month. "
        "Our teams build recommendation, creation tools and the safety systems that keep the "
        "community welcoming.</p>",
    ),
    (
        "Parallax Labs",
        "https://labs.parallax.example",
        "<p>Parallax Labs is the research arm of Parallax Group: machine learning, "
        "multimodal understanding and infrastructure research that ships to products.</p>",
    ),
    (
        "Parallax Commerce",
        "https://commerce.parallax.example",
        "<p>Parallax Commerce connects creators and shoppers with live shopping, payments and "
        "logistics in 12 markets.</p>",
    ),
]

SEED_TITLE = "2025 Content Safety Machine Learning Intern"
SEED_DESCRIPTION = """
<h3>About the team</h3>
<p>The Content Safety team at Parallax Video protects hundreds of millions of people from harmful
content. We build multimodal machine learning models that understand video, audio and text,
detect policy-violating content within seconds of upload, and support the human moderators who
review the hardest cases.</p>
<p>We are looking for PhD and MS students to join us as Machine Learning Interns in 2025. You will
work on real models in production, with mentors from our research and engineering teams.
Internships start between May and September 2025 and last 12 to 24 weeks.</p>
<h3>Responsibilities</h3>
<ul>
<li>Develop and improve multimodal classification models for video, image, audio and text content.</li>
<li>Research and apply techniques such as large-scale pre-training, semi-supervised learning and
active learning to reduce the amount of labelled data needed.</li>
<li>Design offline evaluations and online experiments, and analyse the results with the team.</li>
<li>Build data pipelines that turn moderator decisions into training data.</li>
<li>Write up your results; interns have published at NeurIPS, CVPR and ACL.</li>
</ul>
<h3>Minimum qualifications</h3>
<ul>
<li>Currently pursuing a PhD or MS in Computer Science, Electrical Engineering, Statistics or a
related field, graduating in December 2025 or later.</li>
<li>Solid programming skills in Python, and experience with PyTorch or TensorFlow.</li>
<li>Experience in one or more of: computer vision, natural language processing, speech, or
multimodal learning.</li>
<li>Able to commit to a full-time internship of at least 12 weeks.</li>
</ul>
<h3>Preferred qualifications</h3>
<ul>
<li>Publications at top venues (NeurIPS, ICML, ICLR, CVPR, ICCV, ACL, EMNLP).</li>
<li>Experience with large language models or vision-language models.</li>
<li>Experience with trust and safety, content moderation or abuse detection.</li>
<li>Experience with C++ and distributed training (Spark, Ray).</li>
</ul>
<h3>How we review applications</h3>
<p>Applications are reviewed on a rolling basis; we encourage you to apply early.</p>
<p>Candidates can apply to a maximum of two positions across Parallax Video and its affiliates
(Parallax Labs and Parallax Commerce), and will be considered for jobs in the order they apply.
The application limit applies to Parallax Group and its affiliates' jobs globally.</p>
<h3>Benefits</h3>
<ul>
<li>Housing or a relocation stipend, and a daily meal allowance.</li>
<li>Mentorship from senior researchers and engineers.</li>
<li>Return offers for outstanding interns.</li>
</ul>
"""
SEED_LOCATIONS = [("San Jose", "CA", "US"), ("Seattle", "WA", "US"), ("Singapore", "", "SG")]


# --------------------------------------------------------------------------------------------
# Material the generator draws from


@dataclass(frozen=True)
class Country:
    code: str
    cities: tuple[tuple[str, str], ...]
    currency: str
    factor: float  # local salary for one US dollar of a US salary
    period: str  # the usual pay period for salaried jobs


COUNTRIES = [
    Country(
        "US",
        (
            ("New York", "NY"),
            ("San Francisco", "CA"),
            ("Austin", "TX"),
            ("Seattle", "WA"),
            ("Boston", "MA"),
            ("Chicago", "IL"),
            ("Denver", "CO"),
            ("Atlanta", "GA"),
        ),
        "USD",
        1.0,
        "year",
    ),
    Country("CA", (("Toronto", "ON"), ("Vancouver", "BC"), ("Montreal", "QC")), "CAD", 1.0, "year"),
    Country("GB", (("London", ""), ("Manchester", ""), ("Edinburgh", "")), "GBP", 0.55, "year"),
    Country("IE", (("Dublin", ""), ("Cork", "")), "EUR", 0.65, "year"),
    Country("DE", (("Berlin", "BE"), ("Munich", "BY"), ("Hamburg", "HH")), "EUR", 0.62, "year"),
    Country("NL", (("Amsterdam", "NH"), ("Rotterdam", "ZH")), "EUR", 0.6, "year"),
    Country("FR", (("Paris", ""), ("Lyon", "")), "EUR", 0.55, "year"),
    Country("ES", (("Madrid", ""), ("Barcelona", "")), "EUR", 0.42, "year"),
    Country("PT", (("Lisbon", ""), ("Porto", "")), "EUR", 0.03, "month"),
    Country("PL", (("Warsaw", ""), ("Kraków", "")), "PLN", 0.13, "month"),
    Country("SE", (("Stockholm", ""),), "SEK", 0.45, "month"),
    Country("IN", (("Bengaluru", "KA"), ("Hyderabad", "TG"), ("Pune", "MH")), "INR", 18.0, "year"),
    Country("SG", (("Singapore", ""),), "SGD", 0.1, "month"),
    Country("JP", (("Tokyo", ""), ("Osaka", "")), "JPY", 75.0, "year"),
    Country("AU", (("Sydney", "NSW"), ("Melbourne", "VIC")), "AUD", 1.1, "year"),
    Country("BR", (("São Paulo", "SP"), ("Rio de Janeiro", "RJ")), "BRL", 0.12, "month"),
    Country("MX", (("Mexico City", ""), ("Guadalajara", "JAL")), "MXN", 0.6, "month"),
    Country("ZA", (("Cape Town", "WC"), ("Johannesburg", "GP")), "ZAR", 5.0, "year"),
]
COUNTRY_WEIGHTS = [30, 6, 10, 4, 9, 5, 5, 4, 3, 4, 2, 6, 3, 3, 4, 3, 2, 2]

BASE_USD = {
    "internship": 48_000,
    "entry": 68_000,
    "mid": 98_000,
    "senior": 138_000,
    "lead": 170_000,
    "manager": 155_000,
    "executive": 220_000,
}


@dataclass(frozen=True)
class Field:
    key: str
    titles: tuple[tuple[str, tuple[str, ...]], ...]  # (title, key skills)
    teams: tuple[str, ...]
    pay: float  # relative to engineering
    remote: float  # share of remote postings
    intro: str
    duties: tuple[str, ...]
    needs: tuple[str, ...]
    nice: tuple[str, ...]


FIELDS = [
    Field(
        "engineering",
        (
            ("Backend Engineer", ("Python", "Django", "PostgreSQL", "Redis")),
            ("Backend Engineer", ("Go", "gRPC", "Kubernetes", "PostgreSQL")),
            ("Frontend Engineer", ("TypeScript", "React", "CSS", "accessibility")),
            ("Full-Stack Developer", ("Ruby on Rails", "JavaScript", "MySQL", "Hotwire")),
            ("Site Reliability Engineer", ("Kubernetes", "Terraform", "AWS", "Prometheus")),
            ("iOS Engineer", ("Swift", "SwiftUI", "Xcode", "Combine")),
            ("Android Developer", ("Kotlin", "Jetpack Compose", "Gradle", "Coroutines")),
            ("Platform Engineer", ("Rust", "Linux", "eBPF", "Kafka")),
            ("Security Engineer", ("threat modelling", "AWS", "Python", "incident response")),
            ("Embedded Software Engineer", ("C", "C++", "RTOS", "ARM Cortex-M")),
            ("QA Automation Engineer", ("Playwright", "Python", "CI/CD", "test design")),
            ("Java Developer", ("Java", "Spring Boot", "Kafka", "Oracle")),
        ),
        (
            "Platform",
            "Payments",
            "Core API",
            "Mobile",
            "Infrastructure",
            "Checkout",
            "Developer Tools",
        ),
        1.0,
        0.45,
        "You will design, build and run software that our customers rely on every day, in a "
        "small team that owns its services from the first commit to production.",
        (
            "Design, build and operate services that handle millions of requests a day.",
            "Write clear, well-tested code and review your teammates' changes.",
            "Take part in an on-call rotation (one week in six) with good runbooks.",
            "Break large projects into small, shippable steps and ship them.",
            "Improve observability: metrics, tracing and alerts that mean something.",
            "Work with product and design to turn fuzzy problems into specifications.",
            "Mentor engineers earlier in their careers.",
            "Keep our dependencies and infrastructure up to date and secure.",
        ),
        (
            "Experience shipping production software in a team.",
            "A habit of writing tests and documentation.",
            "Good written communication in English; we work asynchronously.",
            "Understanding of HTTP, databases and how to debug a slow query.",
        ),
        (
            "Open-source contributions.",
            "Experience with event-driven architectures.",
            "Experience in a regulated industry (finance, health).",
            "Familiarity with Docker and GitHub Actions.",
            "Performance profiling and load testing.",
        ),
    ),
    Field(
        "data",
        (
            ("Data Scientist", ("Python", "SQL", "statistics", "A/B testing")),
            ("Data Engineer", ("Python", "Airflow", "dbt", "Snowflake")),
            ("Machine Learning Engineer", ("Python", "PyTorch", "MLOps", "Kubernetes")),
            ("Analytics Engineer", ("SQL", "dbt", "BigQuery", "Looker")),
            ("Data Analyst", ("SQL", "Excel", "Tableau", "Python")),
            ("Research Scientist, NLP", ("PyTorch", "transformers", "NLP", "Python")),
            ("Computer Vision Engineer", ("PyTorch", "OpenCV", "C++", "CUDA")),
        ),
        (
            "Data Platform",
            "Analytics",
            "Machine Learning",
            "Growth Analytics",
            "Risk",
            "Personalization",
        ),
        1.02,
        0.4,
        "You will turn messy data into decisions and products, working closely with engineers and "
        "the people who use your models and dashboards.",
        (
            "Build and maintain reliable data pipelines and models.",
            "Design experiments, define metrics and explain the results to non-specialists.",
            "Train, evaluate and deploy machine learning models.",
            "Own the quality of key datasets: tests, documentation, lineage.",
            "Partner with product teams to find the questions worth answering.",
            "Automate recurring analyses and reports.",
            "Monitor models in production and retrain them when the data drifts.",
        ),
        (
            "Strong SQL and a solid grounding in statistics.",
            "A degree in a quantitative field, or equivalent experience.",
            "Able to explain technical results clearly to a business audience.",
            "Experience with version control and code review.",
        ),
        (
            "Experience with streaming data (Kafka, Flink).",
            "Causal inference or Bayesian methods.",
            "Experience with large language models.",
            "Publications or talks.",
            "Cloud data warehouses (BigQuery, Redshift, Snowflake).",
        ),
    ),
    Field(
        "design",
        (
            ("Product Designer", ("Figma", "prototyping", "user research", "design systems")),
            ("UX Researcher", ("usability testing", "interviews", "survey design", "Dovetail")),
            ("Visual Designer", ("Figma", "illustration", "typography", "Adobe Creative Suite")),
            ("Design Systems Designer", ("Figma", "tokens", "accessibility", "React")),
            (
                "Content Designer",
                ("UX writing", "information architecture", "Figma", "plain language"),
            ),
        ),
        ("Consumer App", "Design Systems", "Growth", "Merchant Tools", "Brand"),
        0.85,
        0.5,
        "You will shape how people experience our product, from early research to the last "
        "pixel, and help the team make decisions with evidence.",
        (
            "Lead design for a product area from discovery to launch.",
            "Run interviews and usability tests and share what you learn.",
            "Create flows, wireframes, prototypes and polished interfaces.",
            "Contribute components and guidelines to our design system.",
            "Make accessibility part of every design review.",
            "Work daily with engineers and product managers.",
        ),
        (
            "A portfolio showing your process, not only the final screens.",
            "Fluency in Figma.",
            "Experience designing for web and mobile.",
            "Comfort presenting and defending design decisions.",
        ),
        (
            "Experience with front-end code (HTML, CSS).",
            "Motion design.",
            "Experience in B2B or fintech products.",
            "Workshop facilitation.",
        ),
    ),
    Field(
        "product",
        (
            ("Product Manager", ("roadmapping", "discovery", "SQL", "stakeholder management")),
            ("Technical Product Manager", ("APIs", "platform strategy", "SQL", "agile")),
            ("Product Owner", ("Scrum", "backlog management", "Jira", "user stories")),
            ("Product Manager, Growth", ("experimentation", "funnels", "SQL", "Amplitude")),
        ),
        ("Payments", "Marketplace", "Growth", "Platform", "Mobile"),
        1.0,
        0.35,
        "You will decide what we build next and why, and make sure it gets built well, together "
        "with engineering, design and the people who use our product.",
        (
            "Own the roadmap for a product area and explain the choices behind it.",
            "Talk to customers every week.",
            "Write clear problem statements and success metrics.",
            "Prioritise ruthlessly and say no with reasons.",
            "Work with sales, support and marketing on launches.",
            "Track outcomes after launch and iterate.",
        ),
        (
            "Experience as a product manager, or in a closely related role.",
            "Comfort with data: you can write basic SQL or read a dashboard critically.",
            "Excellent written communication.",
            "A record of shipping products people use.",
        ),
        (
            "An engineering or design background.",
            "Experience with B2B SaaS pricing.",
            "Experience in marketplaces.",
        ),
    ),
    Field(
        "marketing",
        (
            ("Content Marketing Manager", ("copywriting", "SEO", "editorial calendars", "HubSpot")),
            ("Growth Marketer", ("paid acquisition", "Google Ads", "analytics", "A/B testing")),
            (
                "SEO Specialist",
                ("technical SEO", "keyword research", "Google Search Console", "HTML"),
            ),
            ("Brand Manager", ("brand strategy", "campaigns", "agency management", "budgeting")),
            (
                "Social Media Manager",
                ("TikTok", "Instagram", "community management", "video editing"),
            ),
            (
                "Product Marketing Manager",
                ("positioning", "launches", "competitive analysis", "sales enablement"),
            ),
        ),
        ("Brand", "Growth", "Lifecycle", "Content", "Partnerships"),
        0.78,
        0.35,
        "You will tell our story to the people who need our product, and measure what works.",
        (
            "Plan and run campaigns across channels.",
            "Write and edit content: articles, emails, landing pages, scripts.",
            "Own budgets and report on results every month.",
            "Work with design and sales on launches.",
            "Keep our brand voice consistent.",
            "Test, learn and double down on what works.",
        ),
        (
            "Experience in a marketing role with measurable results.",
            "Excellent writing in English.",
            "Comfort with analytics tools.",
            "Organised, with an eye for detail.",
        ),
        (
            "A second language.",
            "Experience in B2B marketing.",
            "Basic HTML and CSS.",
            "Video production.",
        ),
    ),
    Field(
        "sales",
        (
            ("Account Executive", ("SaaS sales", "Salesforce", "negotiation", "MEDDICC")),
            (
                "Sales Development Representative",
                ("prospecting", "cold outreach", "HubSpot", "LinkedIn Sales Navigator"),
            ),
            ("Solutions Engineer", ("technical demos", "APIs", "SQL", "presales")),
            (
                "Customer Success Manager",
                ("onboarding", "renewals", "Gainsight", "account planning"),
            ),
            (
                "Key Account Manager",
                ("enterprise accounts", "forecasting", "CRM", "contract negotiation"),
            ),
        ),
        ("Enterprise", "Mid-Market", "EMEA Sales", "Customer Success", "Partnerships"),
        0.82,
        0.25,
        "You will help customers understand how we can help them, and make sure they succeed "
        "after they sign.",
        (
            "Build and manage a pipeline of qualified opportunities.",
            "Run discovery calls and tailored demos.",
            "Negotiate and close deals.",
            "Keep the CRM accurate and forecasts honest.",
            "Share customer feedback with product teams.",
            "Meet or exceed a quarterly target.",
        ),
        (
            "Experience in B2B sales or account management.",
            "Clear, confident communication.",
            "Self-motivated and well organised.",
            "Willingness to travel to customers occasionally.",
        ),
        (
            "Experience selling to technical buyers.",
            "A second European language.",
            "Experience with usage-based pricing.",
        ),
    ),
    Field(
        "support",
        (
            (
                "Customer Support Specialist",
                ("Zendesk", "written communication", "troubleshooting", "empathy"),
            ),
            ("Technical Support Engineer", ("Linux", "SQL", "APIs", "log analysis")),
            (
                "Support Team Lead",
                ("coaching", "Zendesk", "quality assurance", "workforce planning"),
            ),
            ("Customer Service Representative", ("phone support", "CRM", "returns", "patience")),
        ),
        ("Customer Support", "Technical Support", "Merchant Support", "Care"),
        0.55,
        0.4,
        "You will be the voice of the company for customers who need help, and the voice of "
        "customers inside the company.",
        (
            "Answer customer questions by email, chat and phone.",
            "Troubleshoot problems and escalate bugs with clear reproduction steps.",
            "Write and update help-centre articles.",
            "Spot trends in tickets and share them with product teams.",
            "Meet response-time and satisfaction targets.",
        ),
        (
            "Excellent written English.",
            "Patience and a genuine wish to help.",
            "Comfort learning new tools quickly.",
            "Availability for some evening or weekend shifts.",
        ),
        (
            "Experience with Zendesk or Intercom.",
            "A second language (Spanish, German or French).",
            "Basic SQL.",
        ),
    ),
    Field(
        "finance",
        (
            ("Financial Analyst", ("Excel", "financial modelling", "forecasting", "SQL")),
            ("Accountant", ("IFRS", "month-end close", "reconciliations", "NetSuite")),
            ("Payroll Specialist", ("payroll", "tax compliance", "ADP", "Excel")),
            ("FP&A Manager", ("budgeting", "forecasting", "Anaplan", "board reporting")),
            ("Tax Manager", ("corporate tax", "transfer pricing", "VAT", "IFRS")),
        ),
        ("Finance", "Accounting", "FP&A", "Treasury", "Tax"),
        0.85,
        0.2,
        "You will keep our numbers right and help leaders make decisions with them.",
        (
            "Prepare monthly, quarterly and annual reports.",
            "Build and maintain financial models and forecasts.",
            "Own reconciliations and the month-end close for your area.",
            "Improve processes and automate manual work.",
            "Work with auditors and tax advisers.",
        ),
        (
            "A degree in finance, accounting or economics.",
            "Advanced Excel or Google Sheets.",
            "Great attention to detail.",
            "A professional qualification (ACCA, CPA, CIMA) or progress towards one.",
        ),
        (
            "Experience in a high-growth company.",
            "SQL or Python for data work.",
            "Experience with multi-currency accounting.",
        ),
    ),
    Field(
        "healthcare",
        (
            ("Registered Nurse", ("patient care", "medication administration", "EHR", "BLS")),
            (
                "Clinical Research Coordinator",
                ("GCP", "clinical trials", "REDCap", "informed consent"),
            ),
            (
                "Pharmacist",
                ("dispensing", "clinical pharmacy", "medication reviews", "patient counselling"),
            ),
            (
                "Physiotherapist",
                (
                    "musculoskeletal rehabilitation",
                    "manual therapy",
                    "exercise prescription",
                    "patient education",
                ),
            ),
            (
                "Medical Laboratory Technician",
                ("phlebotomy", "haematology", "quality control", "LIS"),
            ),
            (
                "Mental Health Counsellor",
                ("CBT", "assessment", "crisis intervention", "case notes"),
            ),
        ),
        (
            "Cardiology",
            "Emergency Department",
            "Oncology Research",
            "Outpatient Clinic",
            "Community Health",
        ),
        0.72,
        0.03,
        "You will care for patients as part of a multidisciplinary team that puts safety and "
        "dignity first.",
        (
            "Assess, plan and deliver care for patients.",
            "Keep accurate records in our electronic health record system.",
            "Work with doctors, therapists and families.",
            "Follow infection control and safety protocols.",
            "Take part in audits and quality improvement.",
            "Support and supervise students and new colleagues.",
        ),
        (
            "A current licence or registration to practise.",
            "Relevant clinical experience.",
            "Excellent communication with patients and families.",
            "Willingness to work shifts, including nights and weekends.",
        ),
        (
            "Postgraduate qualification in a specialty.",
            "Experience with Epic or Cerner.",
            "A second language.",
        ),
    ),
    Field(
        "education",
        (
            (
                "Mathematics Teacher",
                ("lesson planning", "differentiation", "assessment", "classroom management"),
            ),
            (
                "Instructional Designer",
                ("curriculum design", "Articulate 360", "LMS", "adult learning"),
            ),
            (
                "Teaching Assistant",
                ("classroom support", "SEN", "small-group tutoring", "safeguarding"),
            ),
            (
                "Curriculum Developer",
                ("curriculum design", "assessment design", "STEM", "Google Workspace"),
            ),
            (
                "English Language Teacher",
                ("CELTA", "lesson planning", "IELTS preparation", "online teaching"),
            ),
        ),
        ("Secondary School", "Learning Design", "Online Academy", "Primary School"),
        0.55,
        0.15,
        "You will help learners make real progress, in a school that values teachers' time and "
        "professional judgement.",
        (
            "Plan and deliver engaging lessons.",
            "Assess progress and give useful feedback.",
            "Adapt materials for learners with different needs.",
            "Communicate with parents and colleagues.",
            "Take part in professional development.",
        ),
        (
            "A teaching qualification or relevant degree.",
            "Experience teaching or tutoring.",
            "Clear communication and patience.",
            "A clean background check.",
        ),
        (
            "Experience with online teaching tools.",
            "Experience with international curricula (IB, IGCSE).",
            "A second language.",
        ),
    ),
    Field(
        "operations",
        (
            ("Operations Manager", ("process improvement", "KPIs", "Lean", "people management")),
            ("Logistics Coordinator", ("shipment planning", "SAP", "customs", "Excel")),
            ("Supply Chain Analyst", ("demand planning", "SQL", "Excel", "inventory optimisation")),
            ("Office Manager", ("facilities", "vendor management", "events", "budgeting")),
            (
                "Warehouse Supervisor",
                ("WMS", "health and safety", "shift planning", "forklift certification"),
            ),
            (
                "Procurement Specialist",
                ("sourcing", "supplier negotiation", "contracts", "SAP Ariba"),
            ),
        ),
        ("Operations", "Fulfilment", "Supply Chain", "Workplace", "Procurement"),
        0.68,
        0.05,
        "You will keep things running smoothly and make them run better every month.",
        (
            "Plan daily and weekly operations and staffing.",
            "Track KPIs and fix the causes of problems, not only the symptoms.",
            "Manage relationships with suppliers and partners.",
            "Keep health and safety standards high.",
            "Lead and develop a team.",
            "Write and improve standard operating procedures.",
        ),
        (
            "Experience in operations, logistics or a similar role.",
            "Strong organisation and problem-solving skills.",
            "Confidence with spreadsheets.",
            "Clear communication at every level.",
        ),
        (
            "Lean or Six Sigma certification.",
            "Experience with SAP or Oracle.",
            "A forklift licence.",
        ),
    ),
]
FIELD_WEIGHTS = [26, 12, 6, 6, 8, 9, 6, 7, 9, 5, 8]

COMPANIES = [
    (
        "Northwind Logistics",
        "northwind-logistics",
        "logistics and freight software",
        ("operations", "engineering", "data", "sales", "support", "finance"),
    ),
    (
        "Acme Robotics",
        "acme-robotics",
        "warehouse robots",
        ("engineering", "data", "operations", "sales", "design"),
    ),
    (
        "Bluefin Payments",
        "bluefin-payments",
        "payments for small businesses",
        ("engineering", "data", "product", "finance", "support", "sales", "design"),
    ),
    (
        "Cedar Health",
        "cedar-health",
        "a network of community clinics",
        ("healthcare", "operations", "finance", "support"),
    ),
    (
        "Harbor General Hospital",
        "harbor-general-hospital",
        "a 600-bed teaching hospital",
        ("healthcare", "operations", "finance"),
    ),
    (
        "Brightpath Learning",
        "brightpath-learning",
        "online courses for adult learners",
        ("education", "engineering", "design", "marketing", "support"),
    ),
    (
        "Oakridge Academy",
        "oakridge-academy",
        "an international school for ages 4 to 18",
        ("education", "operations"),
    ),
    (
        "Kestrel Apps",
        "kestrel-apps",
        "mobile banking apps",
        ("engineering", "design", "product", "support", "marketing"),
    ),
    (
        "Orbital Foods",
        "orbital-foods",
        "a grocery delivery service",
        ("operations", "engineering", "data", "marketing", "support"),
    ),
    (
        "Lumio Energy",
        "lumio-energy",
        "home solar and batteries",
        ("engineering", "sales", "operations", "finance", "marketing"),
    ),
    (
        "Quartz Analytics",
        "quartz-analytics",
        "a product analytics platform",
        ("engineering", "data", "product", "sales", "design", "marketing"),
    ),
    (
        "Tandem Travel",
        "tandem-travel",
        "group travel booking",
        ("engineering", "marketing", "support", "product", "sales"),
    ),
    (
        "Evergreen Insurance",
        "evergreen-insurance",
        "home and car insurance",
        ("finance", "data", "support", "engineering", "sales"),
    ),
    (
        "Pixelforge Studios",
        "pixelforge-studios",
        "indie video games",
        ("engineering", "design", "marketing"),
    ),
    (
        "Silverline Bank",
        "silverline-bank",
        "a digital bank",
        ("finance", "engineering", "data", "product", "support"),
    ),
    (
        "Greenleaf Pharma",
        "greenleaf-pharma",
        "generic medicines",
        ("healthcare", "data", "operations", "finance"),
    ),
    (
        "Atlas Cloud",
        "atlas-cloud",
        "developer cloud infrastructure",
        ("engineering", "product", "sales", "support", "marketing"),
    ),
    (
        "Mosaic Media",
        "mosaic-media",
        "a digital news publisher",
        ("marketing", "engineering", "design", "data", "sales"),
    ),
    (
        "Verde Retail",
        "verde-retail",
        "sustainable fashion stores",
        ("operations", "marketing", "sales", "support", "finance"),
    ),
    (
        "Nimbus Security",
        "nimbus-security",
        "cloud security software",
        ("engineering", "sales", "product", "data"),
    ),
    (
        "Sakura Mobility",
        "sakura-mobility",
        "electric scooters and bikes",
        ("engineering", "operations", "marketing", "data"),
    ),
    (
        "Riverbend Council",
        "riverbend-council",
        "a city council",
        ("operations", "finance", "education", "support"),
    ),
]

BENEFITS = (
    "Health, dental and vision insurance for you and your family.",
    "25 days of paid holiday plus public holidays.",
    "A yearly learning budget for courses, books and conferences.",
    "Flexible working hours.",
    "Parental leave well above the legal minimum.",
    "A pension or retirement plan with employer matching.",
    "Stock options.",
    "A home-office budget.",
    "Mental health support.",
    "Bike-to-work scheme and subsidised public transport.",
    "Four-day week in August.",
)
HEADINGS = {
    "about": ("About the role", "The role", "About the job"),
    "duties": ("Responsibilities", "What you'll do", "Your responsibilities"),
    "needs": ("Requirements", "What we're looking for", "Qualifications"),
    "nice": ("Nice to have", "Bonus points", "Preferred qualifications"),
    "benefits": ("Benefits", "What we offer", "Perks and benefits"),
}
YEARS = {
    "internship": 0,
    "entry": 1,
    "mid": 3,
    "senior": 5,
    "lead": 8,
    "manager": 6,
    "executive": 10,
}
LEVEL_TITLES = {
    "internship": "{title} Intern",
    "entry": "Junior {title}",
    "mid": "{title}",
    "senior": "Senior {title}",
    "lead": "Lead {title}",
    "manager": "Manager, {team}",
    "executive": "Head of {field}",
}
LEVEL_WEIGHTS = {
    "internship": 5,
    "entry": 16,
    "mid": 34,
    "senior": 28,
    "lead": 8,
    "manager": 6,
    "executive": 3,
}


def _nice_round(value: float) -> int:
    if value >= 10_000:
        return int(round(value / 1000) * 1000)
    if value >= 1_000:
        return int(round(value / 100) * 100)
    return max(1, int(round(value)))


def _salary(rng: random.Random, field: Field, level: str, country: Country, employment: str):
    if rng.random() < 0.2:
        return None, None, "", "year"
    yearly_usd = BASE_USD[level] * field.pay * rng.uniform(0.9, 1.1)
    local = yearly_usd * (country.factor if country.period == "year" else country.factor * 12)
    period = country.period
    if employment in ("part_time", "temporary") or (
        field.key in ("healthcare", "support")
        and country.code in ("US", "CA", "AU")
        and rng.random() < 0.5
    ):
        period, divisor = "hour", 2000
    elif employment == "contract" and rng.random() < 0.6:
        period, divisor = "day", 220
    elif period == "month":
        divisor = 12
    else:
        divisor = 1
    low = local / divisor
    high = low * rng.uniform(1.12, 1.35)
    return _nice_round(low), _nice_round(high), country.currency, period


def _description(
    rng: random.Random,
    *,
    company: tuple,
    field: Field,
    title: str,
    skills,
    level: str,
    team: str,
    where: str,
    remote: bool,
) -> str:
    name, _slug, what, _fields = company
    h = {key: rng.choice(options) for key, options in HEADINGS.items()}
    tag = rng.choice(("h2", "h3", "h3"))
    duties = rng.sample(field.duties, k=min(len(field.duties), rng.randint(4, 6)))
    years = YEARS[level]
    needs = []
    if years:
        needs.append(f"{years}+ years of experience in a similar role.")
    elif level == "internship":
        needs.append("Currently studying towards a degree in a related field.")
    needs.append(f"Hands-on experience with {skills[0]} and {skills[1]}.")
    needs.append(f"Working knowledge of {skills[2]}.")
    needs += rng.sample(field.needs, k=2)
    nice = [f"Experience with {skills[3]}."] + rng.sample(field.nice, k=2)
    benefits = rng.sample(BENEFITS, k=rng.randint(3, 5))
    if remote:
        benefits.append("Fully remote, with a yearly team meetup.")
    place = "remotely" if remote else f"in {where}"
    about = (
        f"<p>{name} builds {what}. We are hiring a {title} to join the {team} team, working {place}. "
        f"{field.intro}</p>"
    )

    def section(key: str, items: list[str]) -> str:
        return f"<{tag}>{h[key]}</{tag}><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

    return clean_html(
        f"<{tag}>{h['about']}</{tag}>{about}"
        + section("duties", duties)
        + section("needs", needs)
        + section("nice", nice)
        + section("benefits", benefits)
    )


# --------------------------------------------------------------------------------------------
# Seeding


def _company(name: str, slug: str, website: str, description: str, group=None) -> Company:
    company, created = Company.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "website": website, "description": description, "group": group},
    )
    if not created and group is not None and company.group_id is None:
        company.group = group
        company.save(update_fields=["group"])
    return company


def _locations(places) -> dict[tuple[str, str, str], Location]:
    out = {}
    for city, region, code in sorted(set(places)):
        out[(city, region, code)], _ = Location.objects.get_or_create(
            city=city, region=region, country=code
        )
    return out


def _refresh(ids: list[int]) -> None:
    """Search vectors of the new postings, and the "did you mean" word list (small on a demo)."""
    if not ids:
        return
    try:
        from jobs.board.search import refresh_search_terms, refresh_search_vectors
    except ImportError:  # pragma: no cover - the search module ships with the board
        return
    refresh_search_vectors(ids)
    refresh_search_terms()


def _generate(rng: random.Random, now: dt.datetime, companies: dict[str, Company]):
    """Yield (external_id, Posting fields, [location keys]) for the generated postings."""
    by_key = {f.key: f for f in FIELDS}
    for n in range(1, DEMO_POSTINGS + 1):
        company_row = rng.choice(COMPANIES)
        field = rng.choices(FIELDS, weights=FIELD_WEIGHTS)[0]
        if field.key not in company_row[3]:
            field = by_key[rng.choice(company_row[3])]
        base_title, skills = rng.choice(field.titles)
        level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        team = rng.choice(field.teams)
        title = LEVEL_TITLES[level].format(
            title=base_title, field=field.key.capitalize(), team=team
        )

        if level == "internship":
            employment = "internship"
        else:
            roll = rng.random()
            part_time_share = 0.25 if field.key in ("healthcare", "education", "support") else 0.05
            employment = (
                "part_time"
                if roll < part_time_share
                else "contract"
                if roll < part_time_share + 0.08
                else "temporary"
                if roll < part_time_share + 0.11
                else "full_time"
            )
        roll = rng.random()
        workplace = (
            "remote" if roll < field.remote else "hybrid" if roll < field.remote + 0.3 else "onsite"
        )

        country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
        count = 1 if rng.random() < 0.8 else 2
        cities = rng.sample(country.cities, k=min(count, len(country.cities)))
        if workplace == "remote" and rng.random() < 0.3:
            cities = []  # remote within the country: the country alone
        places = [(c, r, country.code) for c, r in cities] or [("", "", country.code)]
        where = " or ".join(c for c, _ in cities) or str(country.code)

        salary_min, salary_max, currency, period = _salary(rng, field, level, country, employment)

        roll = rng.random()
        status = "published" if roll < 0.84 else "closed" if roll < 0.92 else "expired"
        if status == "expired":
            published_at = now - dt.timedelta(days=rng.randint(70, 140), hours=rng.randint(0, 23))
        else:
            published_at = now - dt.timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 23))
        deadline = None
        review = "rolling"
        if rng.random() < 0.35:
            if status == "expired":
                deadline = (published_at + dt.timedelta(days=rng.randint(20, 50))).date()
            else:
                deadline = (now + dt.timedelta(days=rng.randint(7, 75))).date()
            if rng.random() < 0.5:
                review = "after_deadline"
        if deadline:
            expires_at = dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=dt.UTC)
        else:
            expires_at = published_at + dt.timedelta(days=60)
            if status == "published" and expires_at <= now:
                expires_at = now + dt.timedelta(days=rng.randint(5, 30))
        closed_at = now - dt.timedelta(days=rng.randint(0, 10)) if status == "closed" else None
        if closed_at and closed_at < published_at:
            closed_at = published_at + dt.timedelta(days=1)

        website = f"https://{company_row[1]}.example"
        slug_title = slugify(title)[:200] or "job"
        apply_url = apply_email = ""
        if rng.random() < 0.8:
            apply_url = f"{website}/careers/{slug_title}-{n}"
        else:
            apply_email = f"jobs@{company_row[1]}.example"
        remote = workplace == "remote"
        description = _description(
            rng,
            company=company_row,
            field=field,
            title=title,
            skills=skills,
            level=level,
            team=team,
            where=where,
            remote=remote,
        )
        fields = {
            "company": companies[company_row[1]],
            "title": title,
            "slug": slug_title,
            "team": team,
            "description": description,
            "employment_type": employment,
            "level": level,
            "workplace": workplace,
            "countries": [country.code],
            "salary_min": salary_min,
            "salary_max": salary_max,
            "salary_currency": currency,
            "salary_period": period,
            "apply_url": apply_url,
            "apply_email": apply_email,
            "review_policy": review,
            "application_deadline": deadline,
            "status": status,
            "published_at": published_at,
            "expires_at": expires_at,
            "closed_at": closed_at,
        }
        yield f"demo-{n:04d}", fields, places


@transaction.atomic
def seed_jobs_demo() -> dict[str, int]:
    """Create the demo companies and postings that are missing; return counts."""
    now = timezone.now()
    rng = random.Random(SEED)

    group, created = CompanyGroup.objects.get_or_create(
        name=GROUP_NAME,
        defaults={
            "application_limit": 2,
            "description": "Parallax Video, Parallax Labs and Parallax Commerce.",
        },
    )
    companies: dict[str, Company] = {}
    for name, website, description in GROUP_COMPANIES:
        slug = slugify(name)
        companies[slug] = _company(name, slug, website, clean_html(description), group)
    for name, slug, what, _fields in COMPANIES:
        companies[slug] = _company(
            name, slug, f"https://{slug}.example", f"<p>{name} builds {what}.</p>"
        )

    existing = set(Posting.objects.filter(source=DEMO_SOURCE).values_list("external_id", flat=True))
    rows: list[tuple[str, dict, list]] = []
    seed = {
        "company": companies["parallax-video"],
        "title": SEED_TITLE,
        "slug": slugify(SEED_TITLE),
        "team": "Trust and Safety",
        "description": clean_html(SEED_DESCRIPTION),
        "employment_type": "internship",
        "level": "internship",
        "workplace": "onsite",
        "countries": sorted({c for _, _, c in SEED_LOCATIONS}),
        "salary_min": 45,
        "salary_max": 62,
        "salary_currency": "USD",
        "salary_period": "hour",
        "apply_url": "https://video.parallax.example/careers/2025-content-safety-ml-intern",
        "review_policy": "rolling",
        "status": "published",
        "published_at": now - dt.timedelta(days=3),
        "expires_at": now + dt.timedelta(days=57),
    }
    rows.append(("seed-content-safety-ml-intern-2025", seed, SEED_LOCATIONS))
    affiliates = [
        (
            "parallax-labs",
            "Research Scientist, Multimodal Foundation Models",
            "data",
            [("Seattle", "WA", "US"), ("London", "", "GB")],
        ),
        (
            "parallax-commerce",
            "Backend Engineer, Live Shopping",
            "engineering",
            [("Singapore", "", "SG")],
        ),
        ("parallax-video", "Trust and Safety Policy Analyst", "operations", [("Dublin", "", "IE")]),
    ]
    for i, (slug, title, field_key, places) in enumerate(affiliates, start=1):
        field = next(f for f in FIELDS if f.key == field_key)
        company = next(c for c in GROUP_COMPANIES if slugify(c[0]) == slug)
        description = _description(
            rng,
            company=(company[0], slug, "products for a global community", ()),
            field=field,
            title=title,
            skills=field.titles[0][1],
            level="senior",
            team=field.teams[0],
            where=places[0][0],
            remote=False,
        )
        rows.append(
            (
                f"parallax-{i}",
                {
                    "company": companies[slug],
                    "title": title,
                    "slug": slugify(title),
                    "team": field.teams[0],
                    "description": description,
                    "employment_type": "full_time",
                    "level": "senior",
                    "workplace": "hybrid",
                    "countries": sorted({c for _, _, c in places}),
                    "apply_url": f"https://{slug}.example/careers/{slugify(title)}",
                    "review_policy": "rolling",
                    "status": "published",
                    "published_at": now - dt.timedelta(days=5 + i),
                    "expires_at": now + dt.timedelta(days=50 + i),
                },
                places,
            )
        )
    rows += list(_generate(rng, now, companies))

    missing = [(ext, fields, places) for ext, fields, places in rows if ext not in existing]
    if missing:
        locations = _locations(p for _, _, places in missing for p in places)
        postings = Posting.objects.bulk_create(
            [Posting(source=DEMO_SOURCE, external_id=ext, **fields) for ext, fields, _ in missing]
        )
        through = Posting.locations.through
        through.objects.bulk_create(
            [
                through(posting_id=posting.pk, location_id=locations[place].pk)
                for posting, (_, _, places) in zip(postings, missing, strict=True)
                for place in dict.fromkeys(places)
            ]
        )
        _refresh([p.pk for p in postings])
        enqueue_summaries([p.pk for p in postings])
        bump_generation()  # bulk_create sends no signal
    return {
        "companies": Company.objects.count(),
        "demo_postings": Posting.objects.filter(source=DEMO_SOURCE).count(),
        "demo_postings_created": len(missing),
    }
