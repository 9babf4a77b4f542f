package benchseed

// Word lists for realistic, varied names. Combinations repeat (as real
// names do); emails are made unique with a counter.

var firstNames = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
	"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
	"Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
	"Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah",
	"Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
	"Jacob", "Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Anna",
	"Stephen", "Brenda", "Larry", "Pamela", "Justin", "Emma", "Scott", "Nicole", "Brandon", "Helen",
	"Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine", "Alexander", "Debra", "Frank", "Rachel",
	"Patrick", "Carolyn", "Raymond", "Janet", "Jack", "Catherine", "Dennis", "Maria", "Jerry", "Heather",
	"Tyler", "Diane", "Aaron", "Ruth", "Jose", "Julie", "Adam", "Olivia", "Nathan", "Joyce",
	"Henry", "Virginia", "Douglas", "Victoria", "Zachary", "Kelly", "Peter", "Lauren", "Kyle", "Christina",
	"Mohammed", "Fatima", "Wei", "Mei", "Hiroshi", "Yuki", "Lars", "Ingrid", "Sven", "Astrid",
	"Pierre", "Camille", "Luca", "Giulia", "Mateo", "Lucía", "Jörg", "Anneliese", "Søren", "Zoë",
	"Aleksander", "Katarzyna", "Dmitri", "Olga", "Kwame", "Amara", "Rahul", "Priya", "Omar", "Leila",
	"Marco", "Martina", "Martin", "Marta", "Marcus", "Margot", "Mariana", "Marek", "Marius", "Marisol",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
	"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
	"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
	"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
	"Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Dubois", "Moreau", "Laurent", "Lefèvre", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano",
	"Nowak", "Kowalski", "Wiśniewski", "Novák", "Svoboda", "Jensen", "Nielsen", "Hansen", "Johansson", "Larsson",
	"O'Brien", "O'Connor", "McCarthy", "Van Dijk", "De Vries", "Janssen", "Tanaka", "Suzuki", "Wang", "Chen",
	"Singh", "Kumar", "Okafor", "Mensah", "Haddad", "Khan", "Ivanov", "Petrov", "Silva", "Santos",
}

var emailDomains = []string{
	"bench-industries.example", "bench-industries.example", "bench-industries.example", "bench-industries.example",
	"mail.example", "post.example", "inbox.example", "example.org", "example.net", "contractors.example",
}

var companies = []string{
	"Acme", "Globex", "Initech", "Umbrella", "Stark Industries", "Wayne Enterprises", "Hooli", "Vandelay Imports",
	"Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oceanic", "Pied Piper", "Massive Dynamic",
	"Aperture", "Black Mesa", "Dunder Mifflin", "Prestige Worldwide", "Monarch", "Nakatomi", "Bluth", "Sterling Cooper",
}

var companySuffixes = []string{"Ltd", "GmbH", "Inc", "SA", "BV", "AB", "Oy", "SRL", "LLC", "plc"}

var jobTitles = []string{
	"Sales Representative", "Support Agent", "Account Manager", "Team Lead", "Accountant", "Nurse", "Physician",
	"Operations Analyst", "Marketing Specialist", "Customer Success Manager", "Engineer", "Clerk", "",
}

var cities = []string{
	"Berlin", "Paris", "Madrid", "Lisbon", "Rome", "Warsaw", "Prague", "Vienna", "Amsterdam", "Brussels",
	"Dublin", "London", "Stockholm", "Oslo", "Copenhagen", "Helsinki", "Zurich", "Milan", "Munich", "Lyon",
}

var departments = []string{
	"Sales", "Support", "Billing", "Finance", "Marketing", "Operations", "Logistics", "Legal", "HR",
	"Engineering", "QA", "Procurement", "Compliance", "Research", "Training", "Facilities", "Security",
	"Partnerships", "Customer Success", "Onboarding", "Retention", "Analytics", "Field Service", "Clinical", "Pharmacy",
}

var regions = []string{
	"North", "South", "East", "West", "Central", "EMEA", "APAC", "LATAM", "Nordics", "DACH",
	"Benelux", "Iberia", "UK", "Ireland", "France", "Italy", "Poland", "Canada", "US East", "US West",
}
