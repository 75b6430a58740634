"""The demo event's own texts in Bahasa Malaysia: the event, its agenda, the
stakeholder types and the registration questions (see consult.demo.malay).

Each mapping goes from the English text, as the demo writes it, to the Malay
text. Names of cities, organisations and people stay as they are.
"""

from __future__ import annotations

EVENT_TITLES = {
    "Designing Circular Cities in Malaysia — Stakeholder Consultation Webinar": (
        "Mereka Bentuk Bandar Kitaran di Malaysia — Webinar Konsultasi Pihak "
        "Berkepentingan"
    ),
}

SUMMARIES = {
    "Petaling Jaya brings its five circular-economy challenges; European cities "
    "and experts share best practices; every stakeholder group shapes the local "
    "action plan.": (
        "Petaling Jaya membentangkan lima cabaran ekonomi kitarannya; bandar-bandar "
        "dan pakar dari Eropah berkongsi amalan terbaik; setiap kumpulan pihak "
        "berkepentingan turut membentuk pelan tindakan tempatan."
    ),
}

DESCRIPTION_EN = """\
Malaysia is preparing a **Circular Economy Roadmap for plastics**. The City of
**Petaling Jaya** wants the way forward to be shaped by the whole *quadruple
helix* — government (including state governments), the private sector,
research and civil society — and to be **inclusive**, reaching the informal
sector and vulnerable groups who collect, sort and reuse much of the city's
material today.

In this consultation webinar, Petaling Jaya presents its top five challenges,
European partner cities and circular-economy experts share what has worked for
them — circular product design, durability, reusability, upgradability,
reparability, recycled content, less single-use and no premature
obsolescence — and every stakeholder group gets the floor.

### Petaling Jaya's five challenges

1. Food and organic waste
2. Plastic pollution and packaging
3. Construction material flow and design
4. Household e-waste
5. Lack of digital sharing tools and platforms as an enabler for circular cities

### What happens with your input

The results feed Petaling Jaya's **local action plan** (activities and pilot
projects) and a **knowledge-exchange library** of resources and best practices
open to every city in the programme.

Sessions are held in English. The webinar starts at 16:00 in Kuala Lumpur,
which is the morning in Europe.
"""

DESCRIPTION_MS = """\
Malaysia sedang menyediakan **Pelan Hala Tuju Ekonomi Kitaran bagi plastik**.
Bandaraya **Petaling Jaya** mahu hala tuju ini dibentuk bersama oleh seluruh
*heliks empat* (quadruple helix) — kerajaan (termasuk kerajaan negeri), sektor
swasta, institusi penyelidikan dan masyarakat sivil — dan bersifat
**inklusif**, dengan melibatkan sektor tidak formal dan golongan rentan yang
kini mengutip, mengasingkan dan menggunakan semula sebahagian besar bahan
buangan di bandar ini.

Dalam webinar konsultasi ini, Petaling Jaya membentangkan lima cabaran
utamanya, manakala bandar rakan kongsi dari Eropah dan pakar ekonomi kitaran
berkongsi pendekatan yang telah berjaya bagi mereka — reka bentuk produk
kitaran; produk yang tahan lama, boleh diguna semula, boleh dinaik taraf dan
boleh dibaiki; kandungan bahan kitar semula; pengurangan barangan sekali guna;
serta mengelakkan keusangan pramatang — dan setiap kumpulan pihak
berkepentingan diberi peluang untuk bersuara.

### Lima cabaran Petaling Jaya

1. Sisa makanan dan organik
2. Pencemaran plastik dan pembungkusan
3. Aliran bahan dan reka bentuk dalam pembinaan
4. Sisa elektronik isi rumah
5. Kekurangan alat dan platform perkongsian digital sebagai pemangkin bandar
   kitaran

### Bagaimana input anda digunakan

Hasil konsultasi ini akan menyumbang kepada **pelan tindakan tempatan** Petaling
Jaya (aktiviti dan projek perintis) serta sebuah **perpustakaan perkongsian
ilmu** yang mengandungi sumber rujukan dan amalan terbaik, terbuka kepada setiap
bandar dalam program ini.

Sesi dijalankan dalam bahasa Inggeris. Webinar bermula pada pukul 4.00 petang
waktu Kuala Lumpur, iaitu waktu pagi di Eropah.
"""

DESCRIPTIONS = {DESCRIPTION_EN: DESCRIPTION_MS}

DEMO_PROPOSAL_NOTE = (
    "\n\n*Kandungan demo: cadangan ilustrasi yang ditulis untuk tujuan "
    "demonstrasi ini.*"
)
_PROPOSAL_NOTE_EN = (
    "\n\n*Demo content: an illustrative proposal written for this demonstration.*"
)

# Agenda session titles; the post-event survey rates the same sessions.
SESSION_TITLES = {
    "Welcome and programme context": "Kata alu-aluan dan latar belakang program",
    "Malaysia's Circular Economy Roadmap for plastics": (
        "Pelan Hala Tuju Ekonomi Kitaran Malaysia bagi plastik"
    ),
    "Petaling Jaya's five challenges": "Lima cabaran Petaling Jaya",
    "Repair and reuse networks with housing cooperatives": (
        "Rangkaian pembaikan dan guna semula bersama koperasi perumahan"
    ),
    "Buildings as material banks: circular procurement in construction": (
        "Bangunan sebagai bank bahan: perolehan kitaran dalam pembinaan"
    ),
    "Bio-waste sorting and packaging reduction at markets": (
        "Pengasingan sisa bio dan pengurangan pembungkusan di pasar"
    ),
    "Moderated quadruple-helix dialogue": "Dialog heliks empat bersama moderator",
    "Next steps toward a local action plan": (
        "Langkah seterusnya ke arah pelan tindakan tempatan"
    ),
}

SESSION_DESCRIPTIONS = {
    "Why Petaling Jaya and its European partners are working together, and how "
    "this consultation feeds the local action plan.": (
        "Mengapa Petaling Jaya dan rakan kongsinya dari Eropah bekerjasama, dan "
        "bagaimana konsultasi ini menyumbang kepada pelan tindakan tempatan."
    ),
    "Where the national roadmap stands, what it asks of cities, and how the state "
    "governments take part.": (
        "Kedudukan terkini pelan hala tuju kebangsaan, apa yang diharapkan "
        "daripada pihak bandar, dan bagaimana kerajaan negeri mengambil bahagian."
    ),
    "Food and organic waste; plastic pollution and packaging; construction "
    "material flow and design; household e-waste; digital sharing tools and "
    "platforms as an enabler for circular cities.": (
        "Sisa makanan dan organik; pencemaran plastik dan pembungkusan; aliran "
        "bahan dan reka bentuk dalam pembinaan; sisa elektronik isi rumah; alat "
        "dan platform perkongsian digital sebagai pemangkin bandar kitaran."
    ),
    "How Warsaw's housing cooperatives host repair points and reuse corners, run "
    "by residents with small grants from the city, and what it took to keep them "
    "open after the pilot year." + _PROPOSAL_NOTE_EN: (
        "Bagaimana koperasi perumahan di Warsaw menempatkan pusat pembaikan dan "
        "sudut guna semula yang dikendalikan oleh penduduk dengan geran kecil "
        "daripada pihak bandar, dan apa yang diperlukan untuk memastikannya terus "
        "beroperasi selepas tahun perintis." + DEMO_PROPOSAL_NOTE
    ),
    "Utrecht's tender criteria for demolition and new public buildings: material "
    "passports, reuse targets and the market consultation that made contractors "
    "ready for them." + _PROPOSAL_NOTE_EN: (
        "Kriteria tender Utrecht bagi kerja perobohan dan bangunan awam baharu: "
        "pasport bahan, sasaran guna semula dan konsultasi pasaran yang "
        "menyediakan kontraktor untuk memenuhinya." + DEMO_PROPOSAL_NOTE
    ),
    "Separate collection of food waste at Lyon's open-air markets, reusable "
    "crates for traders, and the composting partnership with peri-urban farms."
    + _PROPOSAL_NOTE_EN: (
        "Kutipan berasingan sisa makanan di pasar terbuka Lyon, peti boleh guna "
        "semula untuk peniaga, dan kerjasama pengkomposan dengan ladang di pinggir "
        "bandar." + DEMO_PROPOSAL_NOTE
    ),
    "Government, private sector, research and civil society — together with "
    "representatives of the informal sector — respond to the challenges and the "
    "European cases. Questions from participants are taken throughout.": (
        "Kerajaan, sektor swasta, institusi penyelidikan dan masyarakat sivil — "
        "bersama wakil sektor tidak formal — memberikan maklum balas terhadap "
        "cabaran tersebut dan kes-kes dari Eropah. Soalan daripada peserta diterima "
        "sepanjang sesi."
    ),
    "How the inputs and priorities collected today become activities and pilot "
    "projects, and how to stay involved.": (
        "Bagaimana input dan keutamaan yang dikumpulkan hari ini dijadikan "
        "aktiviti dan projek perintis, dan cara untuk terus terlibat."
    ),
}

# The stakeholder types every event starts with (consult.registration).
STAKEHOLDER_LABELS = {
    "Government & public agencies": "Kerajaan & agensi awam",
    "Private sector": "Sektor swasta",
    "Research & academia": "Penyelidikan & akademia",
    "Civil society & NGOs": "Masyarakat sivil & NGO",
    "Informal sector & community groups": "Sektor tidak formal & kumpulan komuniti",
}

STAKEHOLDER_DESCRIPTIONS = {
    "National, state and local government, public agencies and utilities.": (
        "Kerajaan peringkat kebangsaan, negeri dan tempatan, agensi awam serta "
        "penyedia utiliti."
    ),
    "Companies, business associations, start-ups and social enterprises.": (
        "Syarikat, persatuan perniagaan, syarikat pemula dan perusahaan sosial."
    ),
    "Universities, research institutes and think tanks.": (
        "Universiti, institut penyelidikan dan badan pemikir."
    ),
    "Non-governmental organisations, community and citizens' groups, media.": (
        "Pertubuhan bukan kerajaan, kumpulan komuniti dan kumpulan warga, serta media."
    ),
    "Waste pickers, informal collectors and traders, vulnerable groups and their "
    "representatives.": (
        "Pemungut sisa, pengutip bahan kitar semula dan peniaga tidak formal, "
        "golongan rentan serta wakil mereka."
    ),
}

REGISTRATION_LABELS = {
    "Level of government": "Peringkat kerajaan",
    "Sector of your company": "Sektor syarikat anda",
    "Company size": "Saiz syarikat",
    "Research field": "Bidang penyelidikan",
    "Main focus of your organisation": "Fokus utama organisasi anda",
}

REGISTRATION_HELP = {
    "For example materials science or urban planning.": (
        "Contohnya sains bahan atau perancangan bandar."
    ),
}

# The choices of the registration questions (an answer keeps the English).
REGISTRATION_CHOICES = {
    "National / federal": "Kebangsaan / persekutuan",
    "State": "Negeri",
    "Local / municipal": "Tempatan / perbandaran",
    "Public agency": "Agensi awam",
    "Packaging and plastics": "Pembungkusan dan plastik",
    "Food and retail": "Makanan dan peruncitan",
    "Construction": "Pembinaan",
    "Electronics and e-waste": "Elektronik dan e-sisa",
    "Waste management and recycling": "Pengurusan sisa dan kitar semula",
    "Digital services": "Perkhidmatan digital",
    "Other": "Lain-lain",
    "Micro (fewer than 10)": "Mikro (kurang daripada 10)",
    "Small (10-49)": "Kecil (10-49)",
    "Medium (50-249)": "Sederhana (50-249)",
    "Large (250 or more)": "Besar (250 atau lebih)",
}
