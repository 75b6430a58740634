"""The demo surveys in Bahasa Malaysia (see consult.demo.malay).

From the English text of consult.demo.surveys to the Malay text. The
pre-event survey's challenge options and the post-event survey's statements
(the agenda sessions) reuse the challenge and session titles.
"""

from __future__ import annotations

SURVEY_TITLES = {
    "Before the webinar: your expectations": "Sebelum webinar: harapan anda",
    "After the webinar: your feedback": "Selepas webinar: maklum balas anda",
}

INTRODUCTIONS = {
    "Help us prepare the consultation on **Designing Circular Cities in "
    "Malaysia**. Five short questions; about three minutes.\n\nYour answers "
    "are shown to the organisers with your name and stakeholder group, and "
    "summarised by group in the consultation report.": (
        "Bantu kami membuat persediaan untuk konsultasi **Mereka Bentuk Bandar "
        "Kitaran di Malaysia**. Lima soalan ringkas; kira-kira tiga minit.\n\n"
        "Jawapan anda dipaparkan kepada penganjur bersama nama dan kumpulan pihak "
        "berkepentingan anda, dan diringkaskan mengikut kumpulan dalam laporan "
        "konsultasi."
    ),
    "Thank you for taking part. This feedback is **anonymous**: your answers "
    "are stored without your name, only with your stakeholder group.": (
        "Terima kasih kerana mengambil bahagian. Maklum balas ini **tanpa nama**: "
        "jawapan anda disimpan tanpa nama anda, hanya bersama kumpulan pihak "
        "berkepentingan anda."
    ),
}

QUESTIONS = {
    # Before the webinar
    "What do you most expect from this webinar?": (
        "Apakah yang paling anda harapkan daripada webinar ini?"
    ),
    "How familiar are you with the circular economy?": (
        "Sejauh manakah anda mengenali konsep ekonomi kitaran?"
    ),
    "Which of Petaling Jaya's five challenges is most relevant to you?": (
        "Antara lima cabaran Petaling Jaya, yang manakah paling berkaitan dengan anda?"
    ),
    "Which follow-up format would you prefer?": (
        "Bentuk tindakan susulan manakah yang paling anda gemari?"
    ),
    "Anything else you hope to take away?": (
        "Ada perkara lain yang anda harap dapat diperoleh daripada webinar ini?"
    ),
    # After the webinar
    "How useful was the webinar for your work?": (
        "Sejauh manakah webinar ini berguna untuk kerja anda?"
    ),
    "What should Petaling Jaya pilot first?": (
        "Projek perintis manakah yang patut dimulakan dahulu oleh Petaling Jaya?"
    ),
    "How far do you agree: this session was useful to me.": (
        "Sejauh manakah anda bersetuju: sesi ini berguna kepada saya."
    ),
    "Any other comments for the organisers?": "Ada komen lain untuk penganjur?",
}

QUESTION_HELP = {
    "0 = not useful at all, 10 = extremely useful.": (
        "0 = langsung tidak berguna, 10 = amat berguna."
    ),
}

# Options of the pre-event survey other than the challenges.
PRE_EVENT_OPTIONS = {
    # What do you most expect from this webinar?
    "Learn from European cities' best practices": (
        "Belajar daripada amalan terbaik bandar-bandar Eropah"
    ),
    "Find partners for pilot projects": "Mencari rakan kongsi untuk projek perintis",
    "Influence Malaysia's Circular Economy Roadmap": (
        "Mempengaruhi Pelan Hala Tuju Ekonomi Kitaran Malaysia"
    ),
    "Understand funding and financing options": (
        "Memahami pilihan dana dan pembiayaan"
    ),
    "Share our own experience": "Berkongsi pengalaman kami sendiri",
    # Which of Petaling Jaya's five challenges: the fifth, as the survey words it
    "Lack of digital sharing tools and platforms": (
        "Kekurangan alat dan platform perkongsian digital"
    ),
    # Which follow-up format would you prefer?
    "A written summary report": "Laporan ringkasan bertulis",
    "Thematic working groups": "Kumpulan kerja bertema",
    "Site visits in Petaling Jaya": "Lawatan tapak di Petaling Jaya",
    "An online library of resources": "Perpustakaan sumber dalam talian",
    "One-to-one matchmaking with partners": (
        "Sesi padanan individu bersama rakan kongsi"
    ),
}

# What should Petaling Jaya pilot first?
POST_EVENT_OPTIONS = {
    "Composting food waste from hawker centres and wet markets": (
        "Pengkomposan sisa makanan dari pusat penjaja dan pasar basah"
    ),
    "Refill and deposit-return for beverage packaging": (
        "Isi semula dan sistem pulangan deposit bagi bekas minuman"
    ),
    "Material passports for public construction projects": (
        "Pasport bahan bagi projek pembinaan awam"
    ),
    "E-waste collection points run with informal collectors": (
        "Pusat pengumpulan sisa elektronik yang dikendalikan bersama pengutip "
        "tidak formal"
    ),
    "A neighbourhood sharing platform for tools and spaces": (
        "Platform perkongsian kejiranan untuk peralatan dan ruang"
    ),
}

# The pre-event survey's own scale (the default agree/disagree labels come
# translated from the interface catalogue).
SCALE_LABELS = {
    "Not at all familiar": "Langsung tidak biasa",
    "Slightly familiar": "Sedikit biasa",
    "Moderately familiar": "Agak biasa",
    "Very familiar": "Sangat biasa",
    "Expert": "Pakar",
}
