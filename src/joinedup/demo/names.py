"""Names, places and service vocabulary for the synthetic local area (data, and two lookups).

Everything here is invented or is a common first/family name; combined at random they describe
no real person. Names are grouped by heritage so that households are internally plausible
(a child's given name, family name and recorded ethnicity usually fit together, with mixing).

Postcodes: the area uses the made-up postcode area "JU" with districts JU1 to JU12. "JU" is not a
Royal Mail postcode area, so no generated address can be a real one, while the outward/inward
shape ("JU7 3QD") is exactly that of a real postcode, which is what matching code must handle.

The tables are kept packed (formatter off) so that the data reads as lists, not one item a line.
"""

from __future__ import annotations

from joinedup.demo.service_codes import (  # noqa: F401 - re-exported for the generator
    ASSESSMENT_FACTORS,
    ASSESSMENT_OUTCOMES,
    CEASED_REASONS,
    CP_CATEGORIES,
    EARLY_HELP_LEADS,
    EARLY_HELP_OUTCOMES,
    EXCLUSION_REASONS,
    HEALTH_VISITS,
    HOUSING_CONTACTS,
    LEGAL_STATUSES,
    NCMP_CATEGORIES,
    OFFENCES,
    PLACEMENTS,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    SUSPENSION_REASONS,
    YOUTH_CONTACTS,
    YOUTH_JUSTICE_OUTCOMES,
)

# fmt: off

# Heritage groups used to keep households plausible, with their share of households.
HERITAGE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("british", 0.63), ("irish_scottish", 0.04), ("south_asian_muslim", 0.10), ("indian", 0.05),
    ("black_african", 0.05), ("caribbean", 0.03), ("eastern_european", 0.06), ("chinese", 0.015),
    ("arab", 0.025),
)

# DfE ethnicity codes recorded for a child of each heritage (mixed heritage is added in code).
HERITAGE_ETHNICITY: dict[str, tuple[tuple[str, float], ...]] = {
    "british": (("WBRI", 0.97), ("WOTH", 0.03)),
    "irish_scottish": (("WIRI", 0.55), ("WBRI", 0.45)),
    "south_asian_muslim": (("APKN", 0.65), ("ABAN", 0.30), ("AOTH", 0.05)),
    "indian": (("AIND", 0.92), ("AOTH", 0.08)),
    "black_african": (("BAFR", 0.95), ("BOTH", 0.05)),
    "caribbean": (("BCRB", 0.9), ("BOTH", 0.1)),
    "eastern_european": (("WOTH", 1.0),),
    "chinese": (("CHNE", 1.0),),
    "arab": (("OOTH", 1.0),),
}

# Mixed-heritage DfE codes by the non-white parent's heritage.
MIXED_ETHNICITY: dict[str, str] = {
    "caribbean": "MWBC",
    "black_african": "MWBA",
    "south_asian_muslim": "MWAS",
    "indian": "MWAS",
    "chinese": "MOTH",
    "arab": "MOTH",
}

GIVEN_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "F": {
        "british": (
            "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
            "Grace", "Willow", "Freya", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie",
            "Charlotte", "Evelyn", "Sienna", "Daisy", "Phoebe", "Sophie", "Alice", "Harper",
            "Matilda", "Ruby", "Emilia", "Maya", "Millie", "Isabelle", "Eliza", "Arabella",
            "Chloe", "Jessica", "Lucy", "Hannah", "Holly", "Megan", "Ellie", "Katie", "Lauren",
            "Amy", "Scarlett", "Bella", "Lola", "Esme", "Hallie", "Violet", "Ada", "Aurora",
            "Elizabeth", "Katherine", "Rebecca", "Abigail", "Jasmine", "Georgia", "Imogen",
            "Summer", "Paige", "Amelie", "Lacey", "Leah", "Molly", "Eleanor", "Victoria",
            "Madison", "Jade", "Caitlin", "Amber", "Bethany", "Harriet", "Nancy", "Beatrice",
            "Thea", "Iris", "Margaret", "Josephine", "Penelope", "Olive", "Zoe", "Layla", "Sarah",
            "Tilly", "Mollie", "Darcie", "Maisie", "Erin", "Gracie", "Lottie", "Skye", "Frankie",
            "Ellie-Mae",
        ),
        "irish_scottish": (
            "Niamh", "Aoife", "Siobhan", "Ciara", "Orla", "Saoirse", "Roisin", "Eilidh", "Kirsty",
            "Caoimhe", "Erin", "Maeve", "Isla", "Grace",
        ),
        "south_asian_muslim": (
            "Aisha", "Maryam", "Fatima", "Zainab", "Hafsa", "Khadija", "Amina", "Safa", "Inaya",
            "Zara", "Aleena", "Hania", "Eshal", "Anaya", "Sana", "Noor", "Ayesha", "Mariam",
            "Iqra", "Laiba", "Mahnoor", "Sumaya", "Tasnim", "Nusrat", "Sadia", "Ruqayyah",
            "Aliyah", "Aaliyah", "Layla", "Samira", "Hawa", "Alisha",
        ),
        "indian": (
            "Priya", "Anika", "Diya", "Simran", "Harleen", "Jasleen", "Navneet", "Kiran", "Riya",
            "Ananya", "Aanya", "Isha", "Pooja", "Shreya", "Mehak", "Amrit", "Gurleen", "Sanvi",
            "Aarohi", "Tara",
        ),
        "black_african": (
            "Grace", "Blessing", "Favour", "Precious", "Adaeze", "Chioma", "Amara", "Nneka",
            "Ifeoma", "Temitope", "Adaora", "Esi", "Ama", "Akosua", "Hodan", "Fadumo", "Hibo",
            "Ebunoluwa", "Comfort", "Peace", "Deborah", "Esther",
        ),
        "caribbean": (
            "Tia", "Tiana", "Jada", "Shanice", "Kayla", "Nia", "Aaliyah", "Imani", "Destiny",
            "Kiara", "Shania", "Janelle", "Jasmine", "Chantelle",
        ),
        "eastern_european": (
            "Zofia", "Zuzanna", "Julia", "Maja", "Hanna", "Lena", "Alicja", "Oliwia", "Natalia",
            "Wiktoria", "Amelia", "Gabriela", "Aleksandra", "Emilia", "Antonina", "Ioana",
            "Andreea", "Elena", "Ieva", "Gabija", "Daria",
        ),
        "chinese": ("Mei", "Yan", "Xin", "Jia", "Hui", "Ying", "Wen", "Chloe", "Grace", "Emily"),
        "arab": (
            "Maryam", "Layla", "Noor", "Rania", "Yasmin", "Hala", "Lina", "Dana", "Sara", "Reem",
        ),
    },
    "M": {
        "british": (
            "Oliver", "George", "Arthur", "Noah", "Leo", "Oscar", "Harry", "Archie", "Jack",
            "Henry", "Charlie", "Freddie", "Theodore", "Thomas", "Finley", "Theo", "Alfie",
            "Jacob", "William", "Isaac", "Tommy", "Joshua", "James", "Lucas", "Alexander", "Arlo",
            "Max", "Teddy", "Edward", "Ethan", "Joseph", "Samuel", "Daniel", "Benjamin", "Mason",
            "Logan", "Reggie", "Albie", "Harrison", "Riley", "Dylan", "Jayden", "Kai", "Tyler",
            "Callum", "Connor", "Liam", "Lewis", "Jake", "Ryan", "Kyle", "Bradley", "Owen", "Rhys",
            "Elliot", "Louis", "Harvey", "Frankie", "Ronnie", "Jude", "Stanley", "Hugo",
            "Sebastian", "Michael", "Matthew", "Christopher", "Robert", "Nathan", "Luke", "Adam",
            "Aaron", "Jamie", "Jordan", "Reece", "Zachary", "Toby", "Ellis", "Jenson", "Roman",
            "Ezra", "Rory", "Finn", "Frederick", "Alfred", "Leon", "Louie", "Tobias", "Jenson",
            "Bobby", "Ollie", "Dexter",
        ),
        "irish_scottish": (
            "Cian", "Oisin", "Padraig", "Declan", "Ciaran", "Eoin", "Fraser", "Hamish", "Euan",
            "Seamus", "Cillian", "Patrick", "Conor", "Ruairi",
        ),
        "south_asian_muslim": (
            "Muhammad", "Mohammed", "Ibrahim", "Yusuf", "Ali", "Zayn", "Ayaan", "Hamza", "Adam",
            "Musa", "Yahya", "Umar", "Abdullah", "Ahmed", "Bilal", "Hassan", "Hussain", "Idris",
            "Ismail", "Rayyan", "Zakariya", "Harun", "Imran", "Faisal", "Rehan", "Arham", "Haris",
            "Usman", "Tahmid", "Sami", "Zain", "Eesa",
        ),
        "indian": (
            "Arjun", "Aarav", "Rohan", "Dev", "Krish", "Ravi", "Vihaan", "Harjeet", "Gurpreet",
            "Jaskaran", "Sukhdeep", "Ranveer", "Aryan", "Ishaan", "Kabir", "Sahil", "Vikram",
            "Nikhil", "Manpreet", "Arnav",
        ),
        "black_african": (
            "Chidi", "Emeka", "Tobi", "Oluwaseun", "David", "Daniel", "Samuel", "Kwame", "Kofi",
            "Kwabena", "Tunde", "Femi", "Chukwuemeka", "Obinna", "Abdi", "Mohamed", "Liban",
            "Abdirahman", "Nathaniel", "Joshua", "Emmanuel", "Isaiah", "Jeremiah", "Elijah",
        ),
        "caribbean": (
            "Tyrese", "Jermaine", "Marcus", "Kai", "Andre", "Jaden", "Jayden", "Darnell", "Isaiah",
            "Malachi", "Reuben", "Tyrone", "Kyrie", "Josiah",
        ),
        "eastern_european": (
            "Kacper", "Jakub", "Szymon", "Filip", "Antoni", "Jan", "Mikolaj", "Wojciech",
            "Bartosz", "Aleksander", "Igor", "Oskar", "Stanislaw", "Piotr", "Andrei", "Matei",
            "Luka", "Matas", "Lukas", "Dominik", "Tymon",
        ),
        "chinese": ("Wei", "Jun", "Hao", "Ming", "Yi", "Jie", "Chen", "Ethan", "Ryan", "Lucas"),
        "arab": (
            "Omar", "Ahmad", "Khalid", "Youssef", "Karim", "Hamza", "Adam", "Ali", "Tariq", "Sami",
        ),
    },
}

FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    "british": (
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
        "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner",
        "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "King", "Baker",
        "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
        "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Cook", "Carter", "Richardson",
        "Bailey", "Collins", "Bell", "Shaw", "Miller", "Cox", "Richards", "Marshall", "Anderson",
        "Simpson", "Ellis", "Adams", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers",
        "Gray", "Mason", "Hunt", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes",
        "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Dixon",
        "Harvey", "Graham", "Pearson", "Fletcher", "Gibson", "Howard", "Andrews", "Elliott",
        "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
        "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Dawson", "Ball", "Burton", "Watts",
        "Rose", "Booth", "Perry", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart",
        "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page",
        "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland",
        "Hawkins", "Harding", "Porter", "Newton", "Oliver", "Reed", "Williamson", "Bird",
        "Gardner", "Dean", "Lane", "Cooke", "Bates", "Parry", "Burgess", "Bishop", "Walton",
        "Nicholson", "Shepherd", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton",
        "Sutton", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "Harper", "Coleman",
        "Watkins", "Moss", "Chambers", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne",
        "Johnston", "Wallace", "Jordan", "Hutchinson", "Smyth", "Pickering", "Ashworth",
        "Whitehead", "Holt", "Lord", "Hargreaves", "Greenwood", "Sutcliffe", "Haigh",
        "Barraclough", "Lockwood", "Crowther", "Kershaw", "Stephens", "Philips", "Thomson",
    ),
    "irish_scottish": (
        "O'Brien", "Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Connor", "McCarthy", "Byrne",
        "Doyle", "McDonald", "Macdonald", "Campbell", "Stewart", "Robertson", "MacLeod", "Fraser",
        "Murray", "Quinn", "Gallagher", "Kennedy", "McLaughlin", "Fitzgerald", "O'Neill",
        "Brennan", "Duffy", "McKenzie",
    ),
    "south_asian_muslim": (
        "Khan", "Hussain", "Ahmed", "Ali", "Begum", "Akhtar", "Mahmood", "Iqbal", "Rahman",
        "Islam", "Uddin", "Miah", "Bibi", "Shah", "Butt", "Raza", "Malik", "Aslam", "Chaudhry",
        "Rashid", "Hassan", "Saleem", "Anwar", "Qureshi", "Sheikh", "Mirza", "Choudhury", "Hoque",
        "Karim", "Nawaz", "Siddiqui", "Javed",
    ),
    "indian": (
        "Patel", "Singh", "Kaur", "Sharma", "Kumar", "Gill", "Sandhu", "Sidhu", "Dhillon",
        "Mistry", "Shah", "Parmar", "Joshi", "Chauhan", "Bains", "Mann", "Grewal", "Desai",
        "Thakkar", "Chopra", "Nair", "Pillai",
    ),
    "black_african": (
        "Okafor", "Adeyemi", "Okonkwo", "Mensah", "Boateng", "Asante", "Owusu", "Adebayo", "Eze",
        "Nwosu", "Ogunleye", "Osei", "Mohamed", "Abdi", "Warsame", "Farah", "Yusuf", "Obi",
        "Afolabi", "Okoro", "Danso", "Agyeman", "Bello", "Olawale",
    ),
    "caribbean": (
        "Campbell", "Brown", "Williams", "Thompson", "Grant", "Clarke", "Francis", "Henry",
        "Lewis", "Reid", "Morgan", "Bailey", "Walker", "Robinson", "Samuels", "Gordon", "Stewart",
        "Mitchell", "Spencer", "Powell",
    ),
    "eastern_european": (
        "Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Zielinski",
        "Szymanski", "Wozniak", "Dabrowski", "Kozlowski", "Jankowski", "Mazur", "Krawczyk",
        "Popescu", "Ionescu", "Popa", "Kazlauskas", "Jankauskas", "Petrov", "Horvath",
    ),
    "chinese": (
        "Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Chan", "Lee", "Lam", "Cheung", "Ng", "Yang",
        "Huang", "Zhao", "Wu", "Lin",
    ),
    "arab": (
        "Al-Hassan", "Haddad", "Mansour", "Saleh", "Abdullah", "Nasser", "Ibrahim", "Aziz",
        "Hamdan", "Khalil",
    ),
}

# Parents' and carers' given names (an older generation).
ADULT_GIVEN_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "F": {
        "british": (
            "Sarah", "Emma", "Laura", "Gemma", "Claire", "Nicola", "Rebecca", "Kelly", "Lisa",
            "Michelle", "Stacey", "Jodie", "Hayley", "Samantha", "Natalie", "Amy", "Victoria",
            "Katie", "Louise", "Joanne", "Danielle", "Kerry",
        ),
        "irish_scottish": ("Siobhan", "Fiona", "Aileen", "Mairead", "Ciara"),
        "south_asian_muslim": (
            "Nasreen", "Shazia", "Rubina", "Farzana", "Sadia", "Nazia", "Shabana", "Rukhsana",
        ),
        "indian": ("Sunita", "Manjit", "Rajinder", "Meena", "Kavita", "Jaspreet"),
        "black_african": ("Chinwe", "Funmilayo", "Abena", "Ngozi", "Faduma", "Yetunde"),
        "caribbean": ("Marcia", "Sonia", "Donna", "Claudette", "Simone"),
        "eastern_european": ("Agnieszka", "Katarzyna", "Monika", "Magdalena", "Anna", "Mihaela"),
        "chinese": ("Xiaoling", "Mei", "Ling", "Helen"),
        "arab": ("Fatima", "Huda", "Amal", "Samar"),
    },
    "M": {
        "british": (
            "David", "Paul", "Mark", "Andrew", "Richard", "Daniel", "Christopher", "Lee", "Craig",
            "Darren", "Wayne", "Gary", "Stephen", "Jason", "Carl", "Dean", "Scott", "Ben",
            "Matthew", "Jamie", "Ryan",
        ),
        "irish_scottish": ("Sean", "Brendan", "Kieran", "Colin", "Stuart"),
        "south_asian_muslim": (
            "Tariq", "Imran", "Asif", "Zahid", "Shahid", "Kamran", "Naveed", "Abdul",
        ),
        "indian": ("Rajesh", "Sanjay", "Jaswinder", "Amit", "Harpreet", "Sunil"),
        "black_african": ("Chinedu", "Kwesi", "Olumide", "Abdullahi", "Yaw", "Babatunde"),
        "caribbean": ("Winston", "Delroy", "Leroy", "Clive", "Trevor"),
        "eastern_european": ("Tomasz", "Marcin", "Pawel", "Krzysztof", "Michal", "Adrian"),
        "chinese": ("Wei", "Jian", "Kevin", "Tony"),
        "arab": ("Mahmoud", "Khaled", "Walid", "Hussein"),
    },
}

# Informal forms a professional might record instead of the legal given name.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Will", "Billy", "Bill", "Liam"),
    "Elizabeth": ("Lizzie", "Beth", "Liz", "Betsy"),
    "Alexander": ("Alex", "Xander", "Zander"),
    "Aleksander": ("Alek", "Olek", "Alex"),
    "Muhammad": ("Mohammed", "Mohammad", "Mohamed"),
    "Mohammed": ("Muhammad", "Mohd", "Mo"),
    "Katherine": ("Kate", "Katie", "Catherine", "Kat"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Joseph": ("Joe", "Joey"),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benji"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt", "Matty"),
    "Michael": ("Mike", "Mikey", "Mick"),
    "Christopher": ("Chris",),
    "Robert": ("Rob", "Bobby", "Robbie", "Bob"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Nathaniel": ("Nate", "Nathan"),
    "Nathan": ("Nate",),
    "Charlotte": ("Lottie", "Charlie"),
    "Isabella": ("Bella", "Izzy", "Issy"),
    "Isabelle": ("Izzy", "Belle"),
    "Olivia": ("Liv", "Livvy"),
    "Oliver": ("Ollie", "Olly"),
    "Alfred": ("Alfie", "Alf"),
    "Frederick": ("Freddie", "Fred"),
    "Theodore": ("Theo", "Teddy"),
    "Harrison": ("Harry",),
    "Henry": ("Harry", "Hal"),
    "Jacob": ("Jake",),
    "Joshua": ("Josh",),
    "Zachary": ("Zach", "Zack"),
    "Rebecca": ("Becky", "Becca"),
    "Abigail": ("Abbie", "Abby"),
    "Jessica": ("Jess", "Jessie"),
    "Victoria": ("Vicky", "Tori"),
    "Eleanor": ("Ellie", "Nell"),
    "Amelia": ("Millie", "Mia"),
    "Emily": ("Em", "Emmie"),
    "Margaret": ("Maggie", "Meg"),
    "Florence": ("Flo", "Florrie"),
    "Matilda": ("Tilly", "Tillie"),
    "Gabriela": ("Gabby", "Gabi"),
    "Jakub": ("Kuba",),
    "Aleksandra": ("Ola",),
    "Zuzanna": ("Zuzia",),
    "Wojciech": ("Wojtek",),
    "Abdirahman": ("Abdi",),
    "Oluwaseun": ("Seun",),
    "Temitope": ("Tope", "Temi"),
    "Chukwuemeka": ("Emeka",),
    "Ebunoluwa": ("Ebun",),
    "Abdullah": ("Abdul",),
    "Rayyan": ("Ray",),
    "Zakariya": ("Zak",),
    "Ibrahim": ("Ibby",),
    "Sebastian": ("Seb",),
    "Tobias": ("Toby",),
    "Imogen": ("Immy",),
    "Penelope": ("Penny",),
    "Josephine": ("Josie",),
    "Harriet": ("Hattie",),
    "Dominik": ("Dom",),
    "Stanley": ("Stan",),
    "Natalia": ("Nat",),
    "Wiktoria": ("Wika",),
    "Patrick": ("Paddy", "Pat"),
    "Padraig": ("Paddy",),
    "Callum": ("Cal",),
    "Lucas": ("Luke",),
    "Reggie": ("Reg",),
    "Georgia": ("Georgie",),
    "Arabella": ("Bella",),
    "Evelyn": ("Evie",),
    "Frankie": ("Frank",),
    "Mikolaj": ("Miki",),
    "Antonina": ("Tosia",),
    "Kacper": ("Casper",),
    "Bartosz": ("Bartek",),
}

# Groups of spellings of the same name; each member is a variant of the others.
SPELLING_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Sophie", "Sofie", "Sophy"), ("Sophia", "Sofia"), ("Aaliyah", "Aliyah", "Aleah"),
    ("Jayden", "Jaden", "Jaiden"), ("Macdonald", "McDonald", "MacDonald"), ("Smyth", "Smith"),
    ("Isabelle", "Isabel", "Isobel"), ("Zara", "Zarah"), ("Leah", "Lea"),
    ("Layla", "Laila", "Leila"), ("Hannah", "Hana"), ("Sara", "Sarah"), ("Zoe", "Zoey"),
    ("Aisha", "Ayesha", "Aysha"), ("Maryam", "Mariam", "Mariyam"), ("Yusuf", "Yousef", "Yusef"),
    ("Hussain", "Hussein", "Husain"), ("Ahmed", "Ahmad"), ("Chaudhry", "Choudhury", "Chowdhury"),
    ("Rahman", "Rehman"), ("Thompson", "Thomson"), ("Stephens", "Stevens"),
    ("Phillips", "Philips"), ("Matthews", "Mathews"), ("Reid", "Read"), ("Gray", "Grey"),
    ("Clarke", "Clark"), ("Elliot", "Elliott"), ("Finley", "Finlay"), ("Niamh", "Neve"),
    ("Ellie", "Elly"), ("Millie", "Milly"), ("Katie", "Katy"), ("Rosie", "Rosy"),
    ("Callum", "Calum"), ("Ollie", "Olly"), ("Connor", "Conor"), ("Matthew", "Mathew"),
    ("Lucy", "Lucie"), ("Mollie", "Molly"), ("Darcie", "Darcy"), ("Jasmine", "Jasmin"),
    ("Zain", "Zayn"), ("Eesa", "Isa"), ("Umar", "Omar"), ("Hamza", "Hamzah"), ("Inaya", "Inayah"),
    ("Amina", "Aminah"), ("Khadija", "Khadijah"), ("Tia", "Tiah"), ("Louie", "Louis"),
    ("Harvey", "Harvie"), ("Kayla", "Kaylah"), ("Lacey", "Lacie"), ("Summer", "Sumer"),
    ("Scarlett", "Scarlet"), ("Evie", "Evey"), ("Freya", "Freyja"), ("Ashworth", "Ashwood"),
    ("Mohamed", "Mohammed", "Muhammad"), ("Oliwia", "Olivia"), ("Zofia", "Zophia"),
    ("Julia", "Julija"), ("Wiktoria", "Viktoria", "Victoria"), ("Mikolaj", "Mikołaj"),
    ("Stanislaw", "Stanisław"), ("Wisniewski", "Wiśniewski"), ("Wozniak", "Woźniak"),
    ("Dabrowski", "Dąbrowski"), ("Kozlowski", "Kozłowski"),
    ("Abdirahman", "Abdurahman", "Abdulrahman"), ("Osei", "Osei-Bonsu"), ("Jermaine", "Germaine"),
    ("Tyrese", "Tyreece"), ("Shanice", "Shaniece"), ("Siobhan", "Shivaun"), ("Saoirse", "Seersha"),
    ("Caoimhe", "Keeva"),
)

SPELLING_VARIANT_OF: dict[str, tuple[str, ...]] = {
    name: tuple(other for other in group if other != name)
    for group in SPELLING_VARIANTS
    for name in group
}

# Twin given-name pairs that look alike (same sex and opposite sex), as families often choose.
TWIN_NAME_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("Amelia", "F", "Amelie", "F"), ("Mia", "F", "Maya", "F"),
    ("Lily", "F", "Lola", "F"), ("Ava", "F", "Evie", "F"), ("Isla", "F", "Isabella", "F"),
    ("Ruby", "F", "Rosie", "F"), ("Harry", "M", "Harvey", "M"), ("Jack", "M", "Jake", "M"),
    ("Leo", "M", "Leon", "M"), ("Oliver", "M", "Olivia", "F"), ("Tiana", "F", "Tia", "F"),
    ("Hassan", "M", "Hussain", "M"), ("Aisha", "F", "Amina", "F"), ("Zofia", "F", "Zuzanna", "F"),
    ("Kacper", "M", "Kuba", "M"), ("Riley", "M", "Ruby", "F"),
    ("Alfie", "M", "Archie", "M"), ("Freddie", "M", "Frankie", "M"), ("Tobi", "M", "Temi", "F"),
    ("Arjun", "M", "Anika", "F"), ("Ethan", "M", "Evan", "M"), ("Sienna", "F", "Sierra", "F"),
)

STREETS: tuple[str, ...] = (
    "Mill Lane", "Church Street", "High Street", "Station Road", "Victoria Road", "Park Avenue",
    "Queen Street", "King Street", "Albert Road", "Manor Road", "Green Lane", "Chapel Street",
    "School Lane", "The Crescent", "Willow Close", "Oak Drive", "Beech Grove", "Elm Road",
    "Ash Grove", "Holly Close", "Meadow View", "Brook Street", "Bridge Street", "Canal Side",
    "Foundry Street", "Wharf Road", "Windsor Road", "York Road", "Gladstone Terrace",
    "Balmoral Way", "Orchard Way", "Hawthorn Avenue", "Primrose Lane", "Cherry Tree Walk",
    "Sycamore Road", "Chestnut Avenue", "Laburnum Street", "Rowan Court", "Heather Close",
    "Bluebell Way", "Foxglove Drive", "Kingfisher Close", "Heron Way", "Lark Rise",
    "Swallow Street", "Riverside Walk", "Westfield Road", "Northfield Avenue", "Eastfield Drive",
    "Highfield Road", "Woodland Rise", "Hillside Crescent", "Valley Road", "Moor Lane",
    "Fern Bank", "Cross Street", "Market Street", "Union Street", "Nelson Street",
    "Wellington Road", "Clarence Street", "Princess Road", "Stanley Road", "Grange Road",
    "Vicarage Lane", "Rectory Road", "Priory Walk", "Castle Street", "Spring Gardens",
    "Weavers Row", "Tanners Lane", "Cobble Yard", "Ropewalk", "Coal Pit Lane", "Longacre",
    "Pennine View", "Sunnybank Road", "Greenacres", "Hollybush Lane", "Bank Top",
)

# Blocks of flats: "Flat 7, Jubilee Court, Eastbrook".
FLAT_BLOCKS: tuple[str, ...] = (
    "Jubilee Court", "Tower House", "Millennium Court", "Riverside Heights", "Ashfield House",
    "Clock Tower Mews", "Canal Wharf", "Beacon House", "Victoria Mansions", "Northgate House",
)

# Neighbourhoods of the fictional borough with the postcode districts that cover them.
TOWNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Eastbrook", ("JU1", "JU2")),
    ("Northgate", ("JU3",)),
    ("Westmoor", ("JU4",)),
    ("Millbridge", ("JU5", "JU6")),
    ("Ashcombe Vale", ("JU7",)),
    ("Hollinside", ("JU8",)),
    ("Fernleigh", ("JU9",)),
    ("Kettlewick", ("JU10",)),
    ("Brackendale", ("JU11",)),
    ("Stonemoor", ("JU12",)),
)

# Letters allowed in the unit part of an inward code (Royal Mail excludes C, I, K, M, O, V).
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Places outside the area that families moved from (previous addresses of arrivals); RV, KM,
# OC and BV are not Royal Mail postcode areas either.
OUTSIDE_PLACES: tuple[tuple[str, str], ...] = (
    ("Riverton", "RV"), ("Kingsmere", "KM"), ("Oldcastle", "OC"), ("Bramford", "BV"),
)

BOROUGH = "Joinedup Borough"

PRIMARY_SCHOOL_NAMES: tuple[str, ...] = (
    "Northgate Primary School", "St Mary's C of E Primary School",
    "Eastbrook Infant and Junior School", "Millbridge Community Primary School",
    "Westmoor Primary Academy", "Holy Family Catholic Primary School", "Fernleigh Primary School",
    "Kettlewick Primary School", "Ashcombe Vale Primary School",
    "St Aidan's C of E Primary School", "Brackendale Primary School", "Stonemoor Primary Academy",
    "Hollinside Primary School", "Canal Side Primary School", "Oak Drive Primary School",
    "Willow Green Primary School", "St Joseph's Catholic Primary School",
    "Meadow View Primary School", "Highfield Primary Academy", "Riverside Primary School",
    "Beech Grove Primary School", "Moor Lane Primary School", "Greenacres Primary School",
    "Spring Gardens Primary School",
)

SECONDARY_SCHOOL_NAMES: tuple[str, ...] = (
    "Eastbrook Academy", "Millbridge High School", "Northgate School and Sixth Form",
    "St Bede's Catholic High School", "Westmoor Community College", "Stonemoor Academy",
    "Fernleigh High School", "Kettlewick College",
)

# fmt: on


def given_names(sex: str) -> tuple[str, ...]:
    """Every child given name of one sex across all heritage groups, sorted and unique."""
    return tuple(sorted({n for names in GIVEN_NAMES[sex].values() for n in names}))


def family_names() -> tuple[str, ...]:
    """Every family name across all heritage groups, sorted and unique."""
    return tuple(sorted({n for names in FAMILY_NAMES.values() for n in names}))
