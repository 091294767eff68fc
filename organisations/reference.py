"""Initial reference data, loaded by data migrations and editable afterwards in the admin.

R-ELIG-8: COSME participating countries (the 27 EU member states and the associated
countries). The list is dated data (``ParticipatingCountry.valid_from/until``): the
Support Office closes or opens a country in the admin when a call changes it.
"""

EU_MEMBER_STATES = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
# Albania, Armenia, Bosnia and Herzegovina, Iceland, Kosovo, Moldova, Montenegro,
# North Macedonia, Serbia, Turkey, Ukraine.
COSME_ASSOCIATED = ("AL", "AM", "BA", "IS", "XK", "MD", "ME", "MK", "RS", "TR", "UA")

# The 14 industrial ecosystems of the EU industrial strategy.
INDUSTRIAL_ECOSYSTEMS = (
    ("aerospace-defence", "Aerospace and defence"),
    ("agri-food", "Agri-food"),
    ("construction", "Construction"),
    ("cultural-creative", "Cultural and creative industries"),
    ("digital", "Digital"),
    ("electronics", "Electronics"),
    ("energy-intensive", "Energy-intensive industries"),
    ("energy-renewables", "Energy — renewables"),
    ("health", "Health"),
    ("mobility", "Mobility — transport — automotive"),
    ("proximity-social", "Proximity, social economy and civil security"),
    ("retail", "Retail"),
    ("textile", "Textile"),
    ("tourism", "Tourism"),
)

# NACE Rev. 2 sections.
SECTORS = (
    ("A", "Agriculture, forestry and fishing"),
    ("B", "Mining and quarrying"),
    ("C", "Manufacturing"),
    ("D", "Electricity, gas, steam and air conditioning supply"),
    ("E", "Water supply, sewerage, waste management and remediation"),
    ("F", "Construction"),
    ("G", "Wholesale and retail trade"),
    ("H", "Transportation and storage"),
    ("I", "Accommodation and food service activities"),
    ("J", "Information and communication"),
    ("K", "Financial and insurance activities"),
    ("L", "Real estate activities"),
    ("M", "Professional, scientific and technical activities"),
    ("N", "Administrative and support service activities"),
    ("O", "Public administration and defence"),
    ("P", "Education"),
    ("Q", "Human health and social work activities"),
    ("R", "Arts, entertainment and recreation"),
    ("S", "Other service activities"),
)
