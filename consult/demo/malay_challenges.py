"""Petaling Jaya's five challenges in Bahasa Malaysia (see consult.demo.malay).

From the English text of consult.demo.challenges_data to the Malay text.
"""

from __future__ import annotations

# The challenges' titles; the pre-event survey offers the same five as options.
CHALLENGE_TITLES = {
    "Food and organic waste": "Sisa makanan dan organik",
    "Plastic pollution and packaging": "Pencemaran plastik dan pembungkusan",
    "Construction material flow and design": (
        "Aliran bahan dan reka bentuk dalam pembinaan"
    ),
    "Household e-waste": "Sisa elektronik isi rumah",
    "Digital sharing tools and platforms": "Alat dan platform perkongsian digital",
}

CHALLENGE_DESCRIPTIONS = {
    # Food and organic waste
    "Food and organic material make up **about 45% of Petaling Jaya's household "
    "waste** by weight, and almost all of it still goes to landfill, where it "
    "produces methane and leachate.\n\n"
    "- Households and the city's many hawker centres, night markets and "
    "restaurants have no separate collection for food waste.\n"
    "- Surplus food from supermarkets and caterers is rarely redistributed.\n"
    "- Composting pilots in a few neighbourhoods worked, but were not scaled.\n\n"
    "**We are looking for** ways to separate food waste at source, collect it "
    "affordably, turn it into compost or biogas, and prevent it in the first "
    "place, including in low-income housing (PPR) and at markets.": (
        "Bahan makanan dan organik membentuk **kira-kira 45% daripada sisa isi "
        "rumah Petaling Jaya** mengikut berat, dan hampir kesemuanya masih dihantar "
        "ke tapak pelupusan, lalu menghasilkan gas metana dan air larut resap.\n\n"
        "- Isi rumah serta banyak pusat penjaja, pasar malam dan restoran di bandar "
        "ini tidak mempunyai kutipan berasingan bagi sisa makanan.\n"
        "- Lebihan makanan daripada pasar raya dan penyedia katering jarang "
        "diagihkan semula.\n"
        "- Projek perintis pengkomposan di beberapa kawasan kejiranan berjaya, "
        "tetapi tidak diperluas.\n\n"
        "**Kami mencari** cara untuk mengasingkan sisa makanan di punca, "
        "mengutipnya dengan kos yang berpatutan, menukarnya menjadi kompos atau "
        "biogas, dan mencegahnya sejak awal, termasuk di perumahan kos rendah "
        "(PPR) dan di pasar."
    ),
    # Plastic pollution and packaging
    "Single-use plastics reach drains and rivers after heavy rain, and the "
    "national *Circular Economy Roadmap for Plastics* asks cities to cut them.\n\n"
    "- Takeaway food and market trade rely on thin bags and polystyrene.\n"
    "- Recycling rates for plastic packaging are low; multilayer packaging "
    "has no market.\n"
    "- Informal collectors recover much of what is recycled, without "
    "recognition or protection.\n\n"
    "**We are looking for** reuse and refill systems, design for recycling, "
    "producer responsibility that works for small businesses, and a fair "
    "place for informal collectors in the value chain.": (
        "Plastik sekali guna memasuki longkang dan sungai selepas hujan lebat, dan "
        "*Pelan Hala Tuju Ekonomi Kitaran bagi Plastik* peringkat kebangsaan "
        "menggesa bandar-bandar mengurangkannya.\n\n"
        "- Makanan bungkus dan perniagaan di pasar bergantung pada beg plastik "
        "nipis dan polistirena.\n"
        "- Kadar kitar semula pembungkusan plastik masih rendah; pembungkusan "
        "berbilang lapisan tiada pasaran.\n"
        "- Sebahagian besar bahan yang dikitar semula dikutip oleh pengutip tidak "
        "formal, tanpa pengiktirafan atau perlindungan.\n\n"
        "**Kami mencari** sistem guna semula dan isi semula, reka bentuk untuk "
        "kitar semula, tanggungjawab pengeluar yang sesuai untuk perniagaan kecil, "
        "dan tempat yang adil bagi pengutip tidak formal dalam rantaian nilai."
    ),
    # Construction material flow and design
    "Construction and demolition waste is one of the largest flows by weight "
    "in the Klang Valley, and illegal dumping of rubble is a recurring "
    "problem.\n\n"
    "- Demolition rarely recovers materials for reuse.\n"
    "- Public procurement seldom asks for recycled content or design for "
    "disassembly.\n"
    "- Nobody knows what materials are stored in the existing building "
    "stock.\n\n"
    "**We are looking for** selective demolition, material passports, markets "
    "for secondary materials and procurement rules that reward circular "
    "design.": (
        "Sisa pembinaan dan perobohan merupakan antara aliran sisa terbesar "
        "mengikut berat di Lembah Klang, dan pembuangan sisa binaan secara haram "
        "merupakan masalah yang berulang.\n\n"
        "- Kerja perobohan jarang mendapatkan semula bahan untuk diguna semula.\n"
        "- Perolehan awam jarang mensyaratkan kandungan bahan kitar semula atau "
        "reka bentuk yang memudahkan pembongkaran.\n"
        "- Tiada siapa yang tahu bahan apakah yang tersimpan dalam stok bangunan "
        "sedia ada.\n\n"
        "**Kami mencari** kaedah perobohan terpilih, pasport bahan, pasaran bagi "
        "bahan sekunder dan peraturan perolehan yang memberi ganjaran kepada reka "
        "bentuk kitaran."
    ),
    # Household e-waste
    "Households keep broken phones, chargers and small appliances at home or "
    "sell them to informal scrap dealers, where unsafe dismantling releases "
    "lead, mercury and brominated flame retardants.\n\n"
    "- Few convenient collection points exist for households.\n"
    "- Repair is getting harder: spare parts and manuals are hard to find.\n"
    "- Informal dismantlers have skills but no safe equipment.\n\n"
    "**We are looking for** collection that households actually use, repair "
    "and reuse, safe and formalised dismantling, and product rules against "
    "premature obsolescence.": (
        "Isi rumah menyimpan telefon, pengecas dan perkakas elektrik kecil yang "
        "rosak di rumah atau menjualnya kepada peniaga barang lusuh tidak formal, "
        "dan pembongkaran yang tidak selamat di sana membebaskan plumbum, merkuri "
        "dan bahan perencat api berbromin.\n\n"
        "- Tidak banyak pusat pengumpulan yang mudah dikunjungi oleh isi rumah.\n"
        "- Kerja membaiki semakin sukar: alat ganti dan manual sukar didapati.\n"
        "- Pekerja pembongkaran tidak formal mempunyai kemahiran tetapi tiada "
        "peralatan yang selamat.\n\n"
        "**Kami mencari** kaedah kutipan yang benar-benar digunakan oleh isi "
        "rumah, pembaikan dan guna semula, pembongkaran yang selamat dan "
        "diformalkan, serta peraturan produk yang mencegah keusangan pramatang."
    ),
    # Digital sharing tools and platforms
    "Circular practices need information: where to repair, what to borrow, "
    "who has surplus materials. Petaling Jaya has no shared digital "
    "infrastructure for this.\n\n"
    "- Sharing and repair initiatives each run their own social-media group.\n"
    "- Businesses cannot find buyers for by-products and surplus materials.\n"
    "- Residents without smartphones or data plans must not be left out.\n\n"
    "**We are looking for** platforms for sharing, repair and material "
    "exchange, open data on waste flows, and inclusive designs that also "
    "work offline or through community intermediaries.": (
        "Amalan kitaran memerlukan maklumat: di mana untuk membaiki barang, apa "
        "yang boleh dipinjam, siapa yang mempunyai lebihan bahan. Petaling Jaya "
        "belum mempunyai infrastruktur digital bersama untuk tujuan ini.\n\n"
        "- Setiap inisiatif perkongsian dan pembaikan mengendalikan kumpulan media "
        "sosialnya sendiri.\n"
        "- Perniagaan tidak dapat mencari pembeli bagi produk sampingan dan "
        "lebihan bahan.\n"
        "- Penduduk yang tiada telefon pintar atau pelan data tidak boleh "
        "dipinggirkan.\n\n"
        "**Kami mencari** platform untuk perkongsian, pembaikan dan pertukaran "
        "bahan, data terbuka tentang aliran sisa, dan reka bentuk inklusif yang "
        "turut berfungsi di luar talian atau melalui perantara komuniti."
    ),
}
