"""Sample postings of different shapes: test fixtures and part of the benchmark's set."""

INTERNSHIP_TITLE = "2025 Content Safety Machine Learning Intern"

# The seed posting: sanitized HTML as an employer would publish it.
INTERNSHIP_HTML = """
<p>Our Trust and Safety team keeps millions of people safe every day. We are looking for a
<strong>Content Safety Machine Learning Intern</strong> to join us in summer 2025 and help build
the models that detect harmful content across our products.</p>
<p>As a Content Safety ML Intern, you will work with researchers and engineers to train, evaluate
and ship classifiers for text, images and video.</p>
<h2>Responsibilities</h2>
<ul>
<li>Develop and fine-tune machine learning models that detect policy-violating content.</li>
<li>Build evaluation datasets and measure model quality with precision and recall.</li>
<li>Collaborate with policy specialists to turn content guidelines into labeling instructions.</li>
<li>Present your results to the team at the end of the internship.</li>
</ul>
<h2>Minimum Qualifications</h2>
<ul>
<li>Currently pursuing a Bachelor's, Master's or PhD in Computer Science, Statistics or a related field.</li>
<li>Experience with Python and at least one deep learning framework such as PyTorch or TensorFlow.</li>
<li>Solid understanding of machine learning fundamentals and statistics.</li>
</ul>
<h2>Preferred Qualifications</h2>
<ul>
<li>Experience with natural language processing or computer vision.</li>
<li>Familiarity with large language models is a plus.</li>
<li>Publications at ML conferences are a bonus.</li>
</ul>
<h2>Benefits</h2>
<p>Interns receive a competitive hourly wage of $45 - $55 per hour, housing support and a paid
day off for every month of the program.</p>
<h2>Locations</h2>
<p>This internship is available in Seattle, WA; San Jose, CA; and New York, NY.</p>
<h2>How to apply</h2>
<p>Applications are reviewed on a rolling basis, so apply early. You may submit at most two
applications across the company and its affiliates; they will be considered in the order you
applied.</p>
<p>We are an equal opportunity employer and value diversity. All qualified applicants will receive
consideration without regard to race, religion, gender or age.</p>
<p><a href="https://example.com/share">Share this job</a></p>
"""

MARKDOWN = """# Senior Backend Engineer (Remote, EU)

We're hiring a Senior Backend Engineer to scale the payments platform behind 4,000 online shops.

## What you'll do

- Design and build REST APIs in Go and Python
- Own our PostgreSQL and Redis clusters, from schema design to on-call
- Mentor two mid-level engineers

## What you bring

- 5+ years of backend experience
- Strong knowledge of k8s and Terraform
- A BS in Computer Science or equivalent experience

## Nice to have

- Kafka
- Experience with Stripe or other payment providers

## What we offer

- €70.000 - €85.000 per year plus stock options
- 30 days of paid vacation
- Fully remote within the EU

Apply by 31 March 2025.
"""

PLAIN = """Warehouse Associate - Part-time

Location: Manchester

RESPONSIBILITIES
- Pick and pack customer orders accurately
- Load and unload deliveries
- Keep the warehouse clean and safe

REQUIREMENTS
- Forklift certification
- Able to lift 25 kg
- At least one year of warehouse experience

BENEFITS
- £12.50/hour
- Free parking and an employee discount

Applications close on 15/02/2025.
"""

NO_HEADINGS = """Acme Analytics is looking for a Data Analyst to join our growing insights team in London.
You will build dashboards in Tableau and write SQL queries against our Snowflake warehouse.
You will also present findings to product managers every week.
You have 2-4 years of experience in data analysis and a bachelor's degree in a quantitative field.
You are comfortable with Excel and Python.
Experience with dbt is a plus.
We offer 25 days of holiday, private health insurance and a salary of £45,000 - £55,000 per year.
Acme Analytics is an equal opportunity employer.
"""

GERMAN = """Wir suchen eine engagierte Softwareentwicklerin oder einen engagierten Softwareentwickler
für unser Team in Berlin. Deine Aufgaben umfassen die Entwicklung von Webanwendungen mit Python und
Django sowie die Pflege unserer PostgreSQL-Datenbanken. Du arbeitest eng mit unserem Produktteam
zusammen und bringst mindestens drei Jahre Berufserfahrung mit. Wir bieten ein Gehalt von
60.000 € bis 70.000 € pro Jahr, flexible Arbeitszeiten und 30 Tage Urlaub.
"""

LINKS_ONLY = """<ul>
<li><a href="https://example.com/a">Apply here</a></li>
<li><a href="https://example.com/b">Company website</a></li>
<li><a href="https://example.com/c">Careers page</a></li>
</ul>"""

SAMPLES = {
    "internship": (INTERNSHIP_TITLE, INTERNSHIP_HTML),
    "markdown": ("Senior Backend Engineer", MARKDOWN),
    "plain": ("Warehouse Associate", PLAIN),
    "no_headings": ("Data Analyst", NO_HEADINGS),
    "german": ("Softwareentwickler (m/w/d)", GERMAN),
}
