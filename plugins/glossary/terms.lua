-- terms.lua: the glossary: integration terms, each with its equivalents in the languages of
-- the seed networks (en, sv, da, de, es, nl, pl, lv, it, fr, fi, el, pt). `terms` are what a
-- query is expanded to, one form per language where one is enough (the search stems each
-- word in every language); `also` are more forms that a query may use (plurals, spellings,
-- the inflected forms of Polish and Latvian, which have no stemmer) and that are recognised
-- but not added. A word ending in '*' in `terms` is a prefix (for the inflections of Polish
-- and Latvian); in `also` it is a prefix the query's word may have.
return {
	{
		id = "language-cafe",
		terms = {
			"language café", "språkcafé", "sprogcafé", "Sprachcafé", "café de idiomas",
			"taalcafé", "kawiarenka językowa", "valodu kafejnīca", "caffè linguistico",
			"café des langues", "kielikahvila", "café de línguas",
		},
		also = {
			"language cafés", "language cafe", "language cafes", "språkcaféer", "språkkafé",
			"sprogcaféer", "Sprachcafés", "cafés de idiomas", "taalcafés",
			"kawiarenki językowe", "kawiarenki językowej", "valodu kafejnīcā",
			"valodu kafejnīcas", "caffè linguistici", "cafés des langues", "kielikahvilat",
			"cafés de línguas", "language exchange café",
		},
	},
	{
		id = "language-course",
		terms = {
			"language course", "språkkurs", "sprogkursus", "Sprachkurs", "curso de idiomas",
			"taalcursus", "kurs językowy", "valodas kursi", "corso di lingua", "cours de langue",
			"kielikurssi", "curso de línguas",
		},
		also = {
			"language courses", "language classes", "språkkurser", "sprogkurser", "Sprachkurse",
			"cursos de idiomas", "taalcursussen", "kursy językowe", "kursów językowych",
			"valodas kursu", "valodas kursos", "corsi di lingua", "cours de langues",
			"kielikurssit", "cursos de línguas",
		},
	},
	{
		id = "mentoring",
		terms = {
			"mentoring", "mentorskap", "mentorordning", "Mentoring", "mentoría", "mentoraat",
			"mentoring", "mentorings", "tutoraggio", "mentorat", "mentorointi", "mentoria",
		},
		also = {
			"mentorship", "mentor programme", "mentor program", "mentorprogram",
			"Mentorenprogramm", "mentorías", "mentorprogramma", "mentorēšana",
		},
	},
	{
		id = "job-coaching",
		terms = {
			"job coaching", "jobbcoachning", "jobcoaching", "Jobcoaching", "coaching laboral",
			"jobcoach", "coaching zawodowy", "karjeras konsultācijas", "orientamento al lavoro",
			"accompagnement vers l'emploi", "työvalmennus", "orientação profissional",
		},
		also = {
			"job coach", "job coaches", "jobbcoach", "jobbcoacher", "Jobcoach", "jobcoaches",
			"coach laboral", "jobcoachen", "työvalmentaja", "työvalmentajat",
		},
	},
	{
		id = "newcomer-guide",
		terms = {
			"newcomer guide", "welcome guide", "välkomstguide", "velkomstguide", "Wegweiser",
			"guía de acogida", "welkomstgids", "przewodnik dla cudzoziemców", "ceļved*",
			"guida di benvenuto", "guide d'accueil", "guia de acolhimento",
		},
		also = {
			"newcomers guide", "newcomers' guide", "guide for newcomers", "welcome pack",
			"welcome packs", "welcome guides", "guide for new residents", "Willkommensmappe",
			"guía de bienvenida", "welkomstgidsen", "przewodnik dla migrantów",
			"ceļvedis jaunajiem iedzīvotājiem", "livret d'accueil", "guia para imigrantes",
		},
	},
	{
		id = "buddy-programme",
		terms = {
			"buddy programme", "befriending", "fadderverksamhet", "venskabsfamilie",
			"Patenschaft", "programa de acompañamiento", "maatjesproject", "program buddy",
			"parrainage", "ystävätoiminta", "apadrinhamento",
		},
		also = {
			"buddy program", "buddy scheme", "buddies", "fadder", "faddrar", "kompisprogram",
			"venskabsfamilier", "Patenschaften", "Paten", "maatje", "maatjes", "buddyproject",
			"binôme", "kummitoiminta",
		},
	},
	{
		id = "civic-orientation",
		terms = {
			"civic orientation", "samhällsorientering", "samfundsforståelse", "Orientierungskurs",
			"orientación sociocultural", "maatschappelijke oriëntatie", "orientacja obywatelska",
			"educazione civica", "formation civique", "yhteiskuntaorientaatio", "formação cívica",
		},
		also = {
			"civic integration", "society orientation", "civic orientation course",
			"samhällsorienteringen", "Orientierungskurse", "kennis van de nederlandse maatschappij",
			"formation civique et citoyenne",
		},
	},
	{
		id = "host-family",
		terms = {
			"host family", "värdfamilj", "værtsfamilie", "Gastfamilie", "familia de acogida",
			"gastgezin", "rodzina goszcząca", "viesģimene", "famiglia ospitante",
			"famille d'accueil", "isäntäperhe", "família de acolhimento",
		},
		also = {
			"host families", "värdfamiljer", "værtsfamilier", "Gastfamilien",
			"familias de acogida", "gastgezinnen", "rodziny goszczące", "viesģimenes",
			"famiglie ospitanti", "familles d'accueil", "isäntäperheet", "famílias de acolhimento",
		},
	},
	{
		id = "volunteering",
		terms = {
			"volunteering", "volontärarbete", "frivilligt arbejde", "Ehrenamt", "voluntariado",
			"vrijwilligerswerk", "wolontariat", "brīvprātīgais darbs", "volontariato", "bénévolat",
			"vapaaehtoistyö", "εθελοντισμός",
		},
		also = {
			"voluntary work", "frivilligarbete", "ehrenamtliches Engagement", "volunteer work",
			"brīvprātīgo darbs", "brīvprātīgo darbu",
		},
	},
	{
		id = "intercultural-mediator",
		terms = {
			"intercultural mediator", "kulturtolk", "kulturformidler", "Kulturmittler",
			"mediador intercultural", "interculturele bemiddelaar", "asystent międzykulturowy",
			"starpkultūru mediators", "mediatore interculturale", "médiateur interculturel",
			"kulttuuritulkki", "διαπολιτισμικός μεσολαβητής",
		},
		also = {
			"intercultural mediators", "cultural mediator", "cultural mediators", "kulturtolkar",
			"Sprach- und Kulturmittler", "Kulturmittlerin", "mediadores interculturales",
			"asystenci międzykulturowi", "mediatori interculturali", "mediatore culturale",
			"mediatori culturali", "médiateurs interculturels", "mediadores interculturais",
		},
	},
	{
		id = "unaccompanied-minors",
		terms = {
			"unaccompanied minors", "ensamkommande", "uledsagede", "unbegleitete Minderjährige",
			"menores no acompañados", "alleenstaande minderjarige", "małoletni bez opieki",
			"nepavadīti nepilngadīgie", "minori non accompagnati", "mineurs non accompagnés",
			"ilman huoltajaa", "menores não acompanhados",
		},
		also = {
			"unaccompanied children", "unaccompanied minor", "ensamkommande barn",
			"uledsagede mindreårige", "unbegleitete minderjährige Geflüchtete", "amv",
			"minori stranieri non accompagnati", "ασυνόδευτοι ανήλικοι",
		},
	},
	{
		id = "work-placement",
		terms = {
			"work placement", "praktikplats", "virksomhedspraktik", "Praktikum",
			"prácticas en empresa", "werkervaringsplaats", "staż", "prakses vieta", "tirocinio",
			"stage en entreprise", "työharjoittelu", "estágio profissional",
		},
		also = {
			"work placements", "work experience placement", "praktikplatser", "Praktika",
			"werkervaringsplaatsen", "staże", "tirocini", "stages en entreprise",
		},
	},
	{
		id = "homework-help",
		terms = {
			"homework help", "läxhjälp", "lektiehjælp", "Hausaufgabenhilfe", "refuerzo escolar",
			"huiswerkbegeleiding", "pomoc w nauce", "doposcuola", "aide aux devoirs",
			"läksykerho", "apoio ao estudo",
		},
		also = {
			"homework club", "homework clubs", "lektiecafé", "lektiecafe", "huiswerkklas",
		},
	},
}
