"""The challenges area's demo texts: Petaling Jaya's five challenges, the
invited experts and the inputs, kept apart from consult.demo.challenges, which
puts them through the real services.

Best practices are illustrative and say so ("Demo content").
"""

from __future__ import annotations

DEMO_NOTE = (
    "\n\n*Demo content: an illustrative example written for this demonstration, "
    "not a verified case study.*"
)

CHALLENGES = [
    (
        "Food and organic waste",
        "food_organic",
        "Food and organic material make up **about 45% of Petaling Jaya's household "
        "waste** by weight, and almost all of it still goes to landfill, where it "
        "produces methane and leachate.\n\n"
        "- Households and the city's many hawker centres, night markets and "
        "restaurants have no separate collection for food waste.\n"
        "- Surplus food from supermarkets and caterers is rarely redistributed.\n"
        "- Composting pilots in a few neighbourhoods worked, but were not scaled.\n\n"
        "**We are looking for** ways to separate food waste at source, collect it "
        "affordably, turn it into compost or biogas, and prevent it in the first "
        "place, including in low-income housing (PPR) and at markets.",
    ),
    (
        "Plastic pollution and packaging",
        "plastics_packaging",
        "Single-use plastics reach drains and rivers after heavy rain, and the "
        "national *Circular Economy Roadmap for Plastics* asks cities to cut them.\n\n"
        "- Takeaway food and market trade rely on thin bags and polystyrene.\n"
        "- Recycling rates for plastic packaging are low; multilayer packaging "
        "has no market.\n"
        "- Informal collectors recover much of what is recycled, without "
        "recognition or protection.\n\n"
        "**We are looking for** reuse and refill systems, design for recycling, "
        "producer responsibility that works for small businesses, and a fair "
        "place for informal collectors in the value chain.",
    ),
    (
        "Construction material flow and design",
        "construction",
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
        "design.",
    ),
    (
        "Household e-waste",
        "e_waste",
        "Households keep broken phones, chargers and small appliances at home or "
        "sell them to informal scrap dealers, where unsafe dismantling releases "
        "lead, mercury and brominated flame retardants.\n\n"
        "- Few convenient collection points exist for households.\n"
        "- Repair is getting harder: spare parts and manuals are hard to find.\n"
        "- Informal dismantlers have skills but no safe equipment.\n\n"
        "**We are looking for** collection that households actually use, repair "
        "and reuse, safe and formalised dismantling, and product rules against "
        "premature obsolescence.",
    ),
    (
        "Digital sharing tools and platforms",
        "digital_platforms",
        "Circular practices need information: where to repair, what to borrow, "
        "who has surplus materials. Petaling Jaya has no shared digital "
        "infrastructure for this.\n\n"
        "- Sharing and repair initiatives each run their own social-media group.\n"
        "- Businesses cannot find buyers for by-products and surplus materials.\n"
        "- Residents without smartphones or data plans must not be left out.\n\n"
        "**We are looking for** platforms for sharing, repair and material "
        "exchange, open data on waste flows, and inclusive designs that also "
        "work offline or through community intermediaries.",
    ),
]

EXPERTS = [
    # email, name, organisation, city, country, expertise, approved
    ("eva.lindqvist@example.eu", "Dr. Eva Lindqvist",
     "City of Gothenburg, Circular Economy Unit", "Gothenburg", "SE",
     "Municipal sharing and reuse programmes; circular public procurement.", True),
    ("paolo.bianchi@example.eu", "Paolo Bianchi", "Food Policy Office, City of Milan",
     "Milan", "IT", "Urban food policy, food waste hubs and redistribution.", True),
    ("bram.vandijk@example.eu", "Bram van Dijk", "Materials Passport Foundation",
     "Rotterdam", "NL", "Material passports and selective demolition.", False),
]  # fmt: skip

# (challenge index or None, kind, author, state, title, body, extra fields)
# author: a registrant's full name, or "expert:<index>".
INPUTS = [
    # 1. Food and organic waste
    (0, "problem_insight", "Chin Ah Kow", "published",
     "Hawker centres have nowhere to put food waste",
     "At our hawker centre every stall throws food scraps in the same bins as "
     "everything else. There is no space for separate bins and the collection "
     "comes once a day. If the council gave us a separate bin and collected it, "
     "most stalls would use it.", {}),
    (0, "problem_insight", "Lakshmi Devi", "published",
     "Composting is hard in high-rise low-income flats",
     "In PPR flats there are no gardens and the chutes take everything. "
     "Residents are willing, but need a collection point on the ground floor "
     "and someone who looks after it, otherwise it smells and attracts rats.", {}),
    (0, "best_practice", "expert:1", "published",
     "Milan's neighbourhood food waste hubs",
     "Milan set up **local food waste hubs** where surplus food from "
     "supermarkets and company canteens is collected and redistributed by "
     "NGOs to families in need within the same neighbourhood. The city "
     "supported them with a reduction of the waste tariff for donating "
     "businesses.\n\nWhat made it work: short distances, a public–private "
     "partnership with the food bank, and a simple weekly pick-up schedule."
     + DEMO_NOTE,
     {"city": "Milan", "country": "IT", "organisation": "City of Milan",
      "period": "2019–2024",
      "results": "Several hundred tonnes of surplus food redistributed per year "
                 "across the hubs; the model was extended to further districts.",
      "links": "https://www.foodpolicymilano.org/en/"}),
    (0, "best_practice", "Julie Peeters", "published",
     "Ghent: restaurant surplus to social restaurants",
     "In Ghent a logistics platform collects surplus from wholesalers and "
     "shops and delivers it to social organisations every day, using electric "
     "cargo bikes and a shared cold store." + DEMO_NOTE,
     {"city": "Ghent", "country": "BE", "organisation": "FoodLoop",
      "period": "2017–present",
      "results": "About a thousand tonnes of food a year reach social "
                 "organisations instead of the bin."}),
    (0, "solution_idea", "Arif Hidayat", "published",
     "A surplus-food pick-up route for PJ supermarkets",
     "Food Bank PJ could run a fixed pick-up route along the big supermarkets "
     "on Jalan SS2 and Section 14 twice a week, if the council helps with a "
     "small refrigerated van.", {"links": "https://foodbank.example.my/pj"}),
    (0, "pilot_proposal", "Dr. Lim Boon Keat", "published",
     "Black soldier fly pilot at the SS2 market",
     "Convert market food waste into protein feed and frass fertiliser with "
     "black soldier fly larvae, run with the traders' association.",
     {"lead": "Universiti Putra Malaysia, Faculty of Agriculture",
      "partners": "Night market traders' association, MBPJ Urban Services",
      "budget_range": "50k_250k", "timeline": "12 months from mid-2027"}),
    (0, "expert_question", "Tan Wei Ming", "published",
     "How did European cities finance separate food waste collection?",
     "Did the cost come from waste fees, from national funds or from selling "
     "compost and biogas? What share of households joined in the first year?",
     {}),
    (0, "solution_idea", "Chong Mei Yee", "submitted",
     "Compost bins for every school",
     "Schools could compost canteen waste and use it in school gardens.", {}),
    # 2. Plastic pollution and packaging
    (1, "problem_insight", "Mariam Abdul Rahim", "published",
     "Night market traders cannot afford alternatives",
     "Paper containers cost three times as much as polystyrene. Traders will "
     "switch only if everybody switches at the same time, or if customers "
     "bring their own containers.", {}),
    (1, "problem_insight", "Kumar Selvam", "published",
     "Waste pickers collect most recycled plastic and are invisible",
     "We sort PET bottles and HDPE by hand from bins and landfill edges. Prices "
     "fall without warning and we have no gloves, no contract and no place to "
     "store what we collect. Any deposit scheme must include us.", {}),
    (1, "best_practice", "expert:0", "published",
     "Gothenburg's reusable takeaway containers",
     "Restaurants in Gothenburg joined a shared deposit system for reusable "
     "takeaway boxes that replace single-use plastic packaging: customers pay "
     "a small deposit, return the box to any "
     "participating restaurant, and the boxes are washed centrally." + DEMO_NOTE,
     {"city": "Gothenburg", "country": "SE",
      "organisation": "City of Gothenburg", "period": "2021–2024",
      "results": "Over a hundred restaurants joined; each box is used dozens "
                 "of times before recycling.",
      "links": "https://goteborg.se/"}),
    (1, "best_practice", "Sophie Janssen", "published",
     "Design for recycling: mono-material pouches",
     "Replacing multilayer plastic laminates with mono-material polypropylene "
     "pouches made snack packaging recyclable in the existing plastic recycling "
     "stream at similar cost for the brand owner." + DEMO_NOTE,
     {"city": "Amsterdam", "country": "NL", "organisation": "Circular Packaging BV",
      "period": "2020–2022",
      "results": "Recyclable packaging for a full product line; roughly 20% "
                 "less material per pouch."}),
    (1, "best_practice", "Laura Fernández", "published",
     "Refill stations in Spanish neighbourhood shops",
     "Neighbourhood grocers installed refill stations for detergents and dry "
     "food, cutting single-use plastic bottles and packaging; the city promoted "
     "them with a shared map and a label for participating shops." + DEMO_NOTE,
     {"city": "Madrid", "country": "ES", "period": "2019–present",
      "results": "Dozens of shops with refill points; customers return "
                 "weekly."}),
    (1, "solution_idea", "Wong Kah Hoe", "published",
     "A local producer responsibility fund for packaging",
     "Packaging producers in Selangor pay a small fee per tonne into a fund "
     "that pays collectors, including informal ones, a guaranteed minimum "
     "price for sorted plastics.", {}),
    (1, "pilot_proposal", "Ravi Shankar", "published",
     "Bring-your-own-container week at three night markets",
     "A campaign week with free reusable containers, stickers for "
     "participating stalls and a small discount for customers who bring "
     "their own.",
     {"lead": "Zero Waste Malaysia",
      "partners": "Night market traders' association, MBPJ, Consumers' "
                  "Association of Selangor",
      "budget_range": "10k_50k", "timeline": "3 months, before Hari Raya 2027"}),
    (1, "expert_question", "Lee Chun Wai", "published",
     "What recycled content targets are realistic for rigid packaging?",
     "European rules set targets for recycled content. What did manufacturers "
     "need (quality, food-contact approval, supply) to meet them?", {}),
    (1, "solution_idea", "Fatimah Zahra Othman", "merged",
     "Deposit on bottles", "Put a deposit on plastic bottles like in Germany.",
     {}),
    (1, "solution_idea", "Yap Su Lin", "published",
     "A deposit-refund system for drinks containers",
     "A deposit of 20 sen on bottles and cans, returned at shops and at "
     "collection points run by community recyclers, would clean up drains and "
     "give collectors a stable income.", {}),
    # 3. Construction material flow and design
    (2, "problem_insight", "Kevin Teoh", "published",
     "No market for recovered building materials",
     "We can recover steel, timber and bricks during demolition, but there is "
     "no place to sell them and no standard that lets engineers reuse them in "
     "new buildings.", {}),
    (2, "best_practice", "Thomas Müller", "published",
     "Selective demolition in Hamburg",
     "Public demolition contracts in Hamburg require a pre-demolition audit "
     "and selective dismantling; recovered materials are sold through a "
     "regional marketplace." + DEMO_NOTE,
     {"city": "Hamburg", "country": "DE", "organisation": "ReBuild Materials GmbH",
      "period": "2018–present",
      "results": "High recovery rates for metals and timber on audited sites; "
                 "lower disposal costs for the city."}),
    (2, "best_practice", "expert:2", "published",
     "Material passports for public buildings",
     "Dutch municipalities register new public buildings in a materials "
     "passport database, so that future renovations know what is inside and "
     "what it is worth." + DEMO_NOTE,
     {"city": "Rotterdam", "country": "NL",
      "organisation": "Materials Passport Foundation", "period": "2017–present",
      "results": "Hundreds of buildings registered; procurement teams use "
                 "the data to plan reuse.",
      "links": "https://www.madaster.com/"}),
    (2, "solution_idea", "Dr. Chen Jia Hui", "published",
     "Recycled aggregate in council road works",
     "MBPJ could specify recycled concrete aggregate for sub-base layers in its "
     "own road maintenance contracts, creating a first stable market.", {}),
    (2, "pilot_proposal", "Jan de Vries", "published",
     "Circular procurement pilot for one council building",
     "Tender the renovation of one council building with award criteria for "
     "reused materials and design for disassembly.",
     {"lead": "MBPJ Procurement Unit", "partners": "Municipality of Utrecht "
      "(peer support), Universiti Malaya", "budget_range": "250k_1m",
      "timeline": "2027–2028"}),
    (2, "expert_question", "Ahmad Faizal Ismail", "published",
     "How do you stop illegal dumping of rubble?",
     "Did European cities combine enforcement with cheaper legal disposal? "
     "Which worked better?", {}),
    (2, "problem_insight", "Muhammad Hafiz Rahman", "hidden",
     "Contact me about consulting services",
     "Our firm can solve all of this, call us.", {}),
    # 4. Household e-waste
    (3, "problem_insight", "Zulkifli Hassan", "published",
     "Scrap dealers dismantle without protection",
     "We buy broken appliances from households and take out copper and "
     "aluminium. Nobody has taught us safe ways and burning cables is the "
     "fastest. We would use safer tools if we could afford them.", {}),
    (3, "best_practice", "Elena García", "published",
     "Barcelona's repair network and repair vouchers",
     "A cooperative of repairers runs repair points in community centres, and "
     "residents receive vouchers that cover part of the repair cost."
     + DEMO_NOTE,
     {"city": "Barcelona", "country": "ES", "organisation": "Reparem Cooperative",
      "period": "2020–present",
      "results": "Thousands of devices repaired each year; most would "
                 "otherwise have been replaced."}),
    (3, "best_practice", "Marta Kowalczyk", "published",
     "Warsaw repair cafés in libraries",
     "Monthly repair cafés in public libraries, where volunteers fix small "
     "appliances and teach residents basic repairs." + DEMO_NOTE,
     {"city": "Warsaw", "country": "PL",
      "organisation": "Circular Economy Club, Warsaw", "period": "2018–present",
      "results": "Around two thirds of devices brought in leave repaired."}),
    (3, "best_practice", "Dr. Katarzyna Wiśniewska", "published",
     "Safe manual dismantling centres",
     "Training and protective equipment for small dismantlers, with a "
     "guaranteed buyer for the separated fractions, moved dismantling indoors "
     "and ended open burning in pilot districts." + DEMO_NOTE,
     {"city": "Kraków", "country": "PL", "organisation": "AGH University of Krakow",
      "period": "2016–2019",
      "results": "Higher copper recovery and no burning at the participating "
                 "workshops."}),
    (3, "solution_idea", "Priya Nair", "published",
     "E-waste drop-off boxes at every PJ library and mall",
     "Locked boxes for phones, chargers and batteries, emptied by a licensed "
     "recycler, with a points reward in the council app.", {}),
    (3, "pilot_proposal", "Siti Aminah", "published",
     "Formalise ten informal dismantlers as a cooperative",
     "Give ten informal dismantlers training, equipment and a shared licensed "
     "workshop, and contract them for council e-waste collection.",
     {"lead": "Community recyclers' association",
      "partners": "E-Cycle Malaysia, Department of Environment, AGH University "
                  "(training)",
      "budget_range": "50k_250k", "timeline": "18 months"}),
    (3, "expert_question", "Nurul Izzah Salleh", "published",
     "How can informal workers be included without being pushed out?",
     "In European take-back systems, were existing collectors integrated, or "
     "replaced by formal companies?", {}),
    # 5. Digital sharing tools and platforms
    (4, "problem_insight", "Ong Li Ting", "published",
     "Every sharing initiative has its own WhatsApp group",
     "Tool libraries, toy swaps and repair cafés in PJ are invisible to each "
     "other and to residents who are not already in their chat groups.", {}),
    (4, "best_practice", "expert:0", "published",
     "Gothenburg's map of sharing and repair",
     "A city-run map lists every place to borrow, swap, repair or buy second "
     "hand, maintained with the initiatives themselves." + DEMO_NOTE,
     {"city": "Gothenburg", "country": "SE",
      "organisation": "City of Gothenburg", "period": "2016–present",
      "results": "Hundreds of listed places; the map is one of the city's most "
                 "visited sustainability pages.",
      "links": "https://www.smartmap.se/"}),
    (4, "best_practice", "Dr. Giulia Conti", "published",
     "Industrial symbiosis platform in Emilia-Romagna",
     "A regional platform matches companies' by-products and surplus materials "
     "with other companies that can use them, with a facilitator who visits "
     "firms." + DEMO_NOTE,
     {"city": "Bologna", "country": "IT", "organisation": "University of Bologna",
      "period": "2015–2021",
      "results": "Several hundred matches proposed; dozens of material "
                 "exchanges put into practice."}),
    (4, "solution_idea", "Aisha Karim", "published",
     "Open data on PJ waste collection",
     "Publish collection volumes by area and material as open data so start-ups "
     "and researchers can build services on it.", {}),
    (4, "pilot_proposal", "Dr. Giulia Conti", "submitted",
     "A PJ sharing map with offline access",
     "Build a shared map with the initiatives, printable per neighbourhood and "
     "reachable by SMS for residents without smartphones.",
     {"lead": "ShareKL", "partners": "MBPJ, University of Bologna",
      "budget_range": "10k_50k", "timeline": "6 months"}),
    (4, "expert_question", "Hasnah Mohd Noor", "published",
     "How do platforms reach people without smartphones?",
     "Which offline channels (community centres, printed lists, radio) worked "
     "in European cities?", {}),
    # General inputs
    (None, "problem_insight", "Siti Nurhaliza Yusof", "published",
     "Small shops need simple rules, in Bahasa Malaysia",
     "Whatever the city decides, small shop owners need one page of rules in "
     "Bahasa Malaysia and time to adapt.", {}),
    (None, "best_practice", "Mateja Novak", "published",
     "Ljubljana's zero-waste path",
     "Ljubljana introduced door-to-door separate collection, reuse centres and "
     "a public-utility-led communication campaign, and became the first EU "
     "capital to commit to zero waste." + DEMO_NOTE,
     {"city": "Ljubljana", "country": "SI", "organisation": "City of Ljubljana",
      "category": "other",
      "period": "2004–2020",
      "results": "Separate collection rose from a few percent to well over "
                 "half of municipal waste.",
      "links": "https://zerowasteeurope.eu/"}),
    (None, "solution_idea", "Charlotte Dupont", "published",
     "A Petaling Jaya circular economy club chapter",
     "A local chapter would keep the conversation going between webinars, with "
     "monthly meetups and site visits.", {}),
]  # fmt: skip
