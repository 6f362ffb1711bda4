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
    ("Amelia", "F", "Amelie", "F"), ("Ella", "F", "Ellie", "F"), ("Mia", "F", "Maya", "F"),
    ("Lily", "F", "Lola", "F"), ("Ava", "F", "Evie", "F"), ("Isla", "F", "Isabella", "F"),
    ("Ruby", "F", "Rosie", "F"), ("Harry", "M", "Harvey", "M"), ("Jack", "M", "Jake", "M"),
    ("Leo", "M", "Leon", "M"), ("Oliver", "M", "Olivia", "F"), ("Tiana", "F", "Tia", "F"),
    ("Hassan", "M", "Hussain", "M"), ("Aisha", "F", "Amina", "F"), ("Zofia", "F", "Zuzanna", "F"),
    ("Kacper", "M", "Kuba", "M"), ("Riley", "M", "Ruby", "F"), ("Louis", "M", "Louie", "M"),
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

# -- Service vocabulary: labels and rough frequencies for the codes the generator emits ----------
# (code, plain-English label, relative weight). Codes are from shared/reference/uk-code-lists.md.

REFERRAL_SOURCES: tuple[tuple[str, str, int], ...] = (
    ("6", "police", 28), ("2A", "a school", 18), ("3A", "a GP", 4), ("3B", "a health visitor", 4),
    ("3D", "primary health services", 3), ("3E", "A&E", 3), ("1A", "a family member", 8),
    ("1B", "a neighbour", 2), ("1C", "the young person", 1), ("5D", "early help", 7),
    ("5B", "another council service", 3), ("4", "housing", 3),
    ("8", "a voluntary organisation", 4), ("9", "an anonymous caller", 3), ("7", "the courts", 1),
    ("10", "an unknown source", 1),
)
PRIMARY_NEEDS: tuple[tuple[str, str, int], ...] = (
    ("N1", "abuse or neglect", 55), ("N2", "child's disability", 8),
    ("N3", "parental illness or disability", 4), ("N4", "family in acute stress", 11),
    ("N5", "family dysfunction", 14), ("N6", "socially unacceptable behaviour", 3),
    ("N7", "low income", 1), ("N8", "absent parenting", 4),
)
ASSESSMENT_FACTORS: tuple[str, ...] = (
    "1B", "2B", "3A", "3B", "4A", "4B", "5A", "6B", "7A", "10A", "11A", "13A", "14A", "15A", "16A",
    "17A", "18C",
)
CP_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    ("NEG", "neglect", 50), ("EMO", "emotional abuse", 36), ("PHY", "physical abuse", 7),
    ("SAB", "sexual abuse", 4), ("MUL", "multiple", 3),
)
LEGAL_STATUSES: tuple[tuple[str, str, int], ...] = (
    ("V2", "accommodated under section 20", 30), ("C1", "interim care order", 35),
    ("C2", "full care order", 25), ("L2", "emergency protection order", 5),
    ("L1", "police protection", 5),
)
PLACEMENTS: tuple[tuple[str, str, int], ...] = (
    ("U6", "placed with foster carers", 50), ("U3", "placed with family and friends carers", 20),
    ("K2", "placed in a children's home", 12), ("P1", "placed with parents", 10),
    ("H5", "placed in semi-independent accommodation", 8),
)
ASSESSMENT_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("nfa", "no further action", 22), ("early_help", "stepped down to early help", 15),
    ("cin", "child in need plan", 35), ("cp", "section 47 enquiry", 20),
    ("lac", "child to become looked after", 8),
)
EARLY_HELP_LEADS: tuple[str, ...] = (
    "school", "health visitor", "early help practitioner", "school nurse", "family hub worker",
)
EARLY_HELP_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("needs_met", "needs met", 60), ("step_up", "stepped up to children's social care", 15),
    ("withdrew", "family withdrew consent", 20), ("moved", "moved out of area", 5),
)
CEASED_REASONS: tuple[tuple[str, str, int], ...] = (
    ("E4A", "returned home as planned", 45), ("E41", "child arrangements order", 15),
    ("E45", "special guardianship order to former foster carers", 10),
    ("E4B", "returned home, not as planned", 15), ("E13", "left care to live with relatives", 15),
)
SUSPENSION_REASONS: tuple[tuple[str, str, int], ...] = (
    ("DB", "persistent disruptive behaviour", 42),
    ("VA", "verbal abuse or threats to an adult", 14),
    ("PP", "physical assault against a pupil", 12),
    ("VP", "verbal abuse or threats to a pupil", 7),
    ("PA", "physical assault against an adult", 4), ("DA", "drug and alcohol related", 4),
    ("DM", "damage to property", 3), ("BU", "bullying", 3), ("RA", "racist abuse", 2),
    ("MT", "misuse of social media or online technology", 3), ("TH", "theft", 2),
    ("OW", "offensive weapon or prohibited item", 2), ("SM", "sexual misconduct", 1),
    ("LG", "abuse relating to sexual orientation or gender identity", 1),
)
EXCLUSION_REASONS: tuple[tuple[str, str, int], ...] = (
    ("DB", "persistent disruptive behaviour", 35), ("PA", "physical assault against an adult", 15),
    ("PP", "physical assault against a pupil", 20),
    ("OW", "offensive weapon or prohibited item", 12), ("DA", "drug and alcohol related", 10),
    ("VA", "verbal abuse or threats to an adult", 8),
)
# Health visiting mandated contacts: (days after birth, label, contact key).
HEALTH_VISITS: tuple[tuple[int, str, str], ...] = (
    (12, "New birth visit", "new_birth_visit"), (49, "6 to 8 week review", "six_to_eight_week"),
    (365, "1 year development review", "one_year_review"),
    (820, "2 to 2 and a half year review (ASQ-3)", "two_year_review"),
)
NCMP_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("healthy weight", 74), ("overweight", 12), ("living with obesity", 11), ("underweight", 3),
)
YOUTH_CONTACTS: tuple[tuple[str, str, int], ...] = (
    ("youth_club", "Attended open-access youth club session", 40),
    ("detached", "Contact through detached youth work in the park", 15),
    ("targeted_1to1", "Targeted youth support one-to-one session", 25),
    ("holiday_activities", "Attended holiday activities and food programme", 12),
    ("mentoring", "Mentoring session", 8),
)
YOUTH_JUSTICE_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("triage", "Diverted through youth justice triage", 30),
    ("turnaround", "Started on Turnaround early-intervention programme", 20),
    ("youth_caution", "Youth caution given", 15),
    ("youth_conditional_caution", "Youth conditional caution given", 12),
    ("referral_order", "Referral order made by youth court", 15),
    ("yro", "Youth rehabilitation order made", 8),
)
OFFENCES: tuple[tuple[str, int], ...] = (
    ("violence against the person", 30), ("theft and handling", 18), ("criminal damage", 14),
    ("possession of drugs", 10), ("public order", 10), ("possession of a weapon", 8),
    ("motoring offence", 5), ("robbery", 5),
)
HOUSING_CONTACTS: tuple[tuple[str, str, int], ...] = (
    ("homelessness_application", "Homelessness application made; prevention duty accepted", 30),
    ("temporary_accommodation", "Family placed in temporary accommodation", 20),
    ("disrepair", "Disrepair reported: damp and mould in child's bedroom", 25),
    ("rent_arrears", "Rent arrears: referred for tenancy sustainment support", 20),
    ("overcrowding", "Overcrowding assessment completed", 5),
)
# fmt: on


def given_names(sex: str) -> tuple[str, ...]:
    """Every child given name of one sex across all heritage groups, sorted and unique."""
    return tuple(sorted({n for names in GIVEN_NAMES[sex].values() for n in names}))


def family_names() -> tuple[str, ...]:
    """Every family name across all heritage groups, sorted and unique."""
    return tuple(sorted({n for names in FAMILY_NAMES.values() for n in names}))
