-- rules.lua: the focus-tagger's keyword rules: for each theme and focus area, the words and
-- phrases that speak of it, in the languages of the seed networks. A term is a sequence of
-- words, matched as the index folds them (case, accents, ø æ ß ł do not matter); a trailing
-- '*' makes a word a prefix, the only way to catch inflections in Polish and Latvian (no
-- stemmer) and compounds in the Nordic languages, Dutch and German. A prefix must not be the
-- start of common unrelated words: "prac*" would catch Polish "pracownik socjalny" (social
-- worker), so Polish work is spelled out form by form.

local themes = {}
local focus_areas = {}

themes["language-learning"] = {
	-- en
	"language café*", "language cafe*", "language course*", "language class*", "language lesson*",
	"language learning", "language teaching", "language training", "language tuition",
	"language skills", "language tandem*", "language buddy", "language buddies",
	"language practice", "practise the language", "practice the language", "conversation group*",
	"conversation club*", "conversation café*", "second language", "esol", "english classes",
	"english lessons", "english course*", "literacy", "learn* english", "learn* swedish",
	"learn* danish", "learn* german", "learn* dutch", "learn* latvian", "learn* polish",
	"learn* finnish", "learn* greek", "learn* italian", "learn* spanish", "learn* portuguese",
	"learn* french", "learn* the language",
	-- sv
	"språkcafé*", "språkkafé*", "språkinlärning*", "språkundervisning*", "sfi",
	"svenska för invandrare", "lära sig svenska", "lär sig svenska", "lära sig språket",
	"öva svenska", "övar svenska", "prata svenska", "språkkurs*", "svenskundervisning*",
	"svenskkurs*", "yrkessvenska", "språkstöd*", "språkträning*", "språkpraktik*", "språkvän*",
	-- da
	"sprogcafé*", "sprogcafe*", "sprogundervisning*", "danskundervisning*", "sprogskole*",
	"sprogkursus*", "sprogkurser*", "danskkursus*", "danskkurser*", "danskuddannelse*",
	"lære dansk", "lærer dansk", "øve dansk", "øver dansk", "tale dansk", "sprogpraktik*",
	"sprogven*",
	-- de
	"sprachcafé*", "sprachcafe*", "sprachkurs*", "deutschkurs*", "sprachunterricht*",
	"deutschunterricht*", "sprachpat*", "sprachförderung*", "sprachlern*", "sprachtandem*",
	"integrationskurs*", "deutsch lernen", "deutsch üben", "sprache lernen", "sprachkenntnis*",
	"sprachtreff*", "alphabetisierung*", "deutsch als zweitsprache", "willkommensklasse*",
	-- es
	"café de idiomas", "cafés de idiomas", "intercambio de idiomas", "intercambio lingüístico",
	"clases de español", "clases de castellano", "curso* de español", "curso* de castellano",
	"curso* de idioma*", "curso* de lengua*", "aprender español", "aprender castellano",
	"aprender el idioma", "aprendizaje del idioma", "aprendizaje de idiomas",
	"enseñanza del español", "grupo* de conversación", "mesa* de conversación",
	-- nl
	"taalcafé*", "taalcafe*", "taalles*", "taalmaatje*", "taalcursus*", "taalonderwijs",
	"taalvaardigheid*", "taalcoach*", "taalhuis", "nederlands leren", "nederlandse taal",
	"taalniveau*", "taalschool", "taal oefenen", "leren nederlands", "nederlands oefenen",
	"oefenen nederlands",
	-- lv
	"valodu kafejnīc*", "valodas kurs*", "valodas apguv*", "valodu apguv*", "valodas apmācīb*",
	"valodas nodarbīb*", "valodas stund*", "valodas mācīb*", "valodas prasm*", "latviešu valod*",
	"apgūt valodu", "apgūst valodu", "apgūt latviešu", "apgūst latviešu", "mācīties latviešu",
	"sarunu grup*", "sarunu klub*",
	-- pl
	"kawiaren* językow*", "kawiarni* językow*", "kurs* język*", "kurs* językow*", "lekcj* język*",
	"lekcj* polskiego", "nauk* język*", "nauce język*", "nauką język*", "nauczani* język*",
	"ucz* się polskiego", "ucz* się języka", "język* polski*", "ćwicz* język*", "zajęci* językow*",
	"klub* konwersacyjn*", "tandem* językow*",
	-- it
	"corsi di italiano", "corso di italiano", "corsi di lingua", "corso di lingua",
	"lingua italiana", "imparare l'italiano", "insegnamento dell'italiano", "scuola di italiano",
	"scuole di italiano", "pratic* l'italiano", "conversazione in italiano",
	"gruppi di conversazione", "caffè linguistic*", "tandem linguistic*",
	"apprendimento della lingua", "alfabetizzazione",
	-- fr
	"cours de français", "apprentissage du français", "appren* le français", "ateliers de français",
	"atelier* sociolinguistique*", "café* des langues", "café* linguistique*",
	"français langue étrangère", "alphabétisation", "formation linguistique", "cours de langue*",
	"conversation en français",
	-- fi
	"kielikahvil*", "suomen kieltä", "suomen kielen", "suomen kurssi*", "kielikurssi*",
	"kieltenopetu*", "kielenopetu*", "suomen opetu*", "opiskel* suomea", "oppi* suomea",
	"harjoittel* suomea", "puhu* suomea", "suomi toisena kielenä", "kielitaito*", "kielen oppi*",
	"ruotsin kieltä",
	-- el
	"μαθήματα ελληνικ*", "ελληνικής γλώσσας", "εκμάθηση της ελληνικής", "εκμάθηση γλώσσ*",
	"γλωσσικ* μαθήματ*", "μαθήματα γλώσσας", "εξασκ* τη γλώσσα", "καφέ γλωσσών",
	-- pt
	"aulas de português", "curso* de português", "cursos de língua portuguesa", "língua portuguesa",
	"aprender português", "aprendizagem do português", "ensino do português",
	"encontros de conversação", "café* de línguas", "pratic* a língua", "apoio ao português",
	"português língua não materna",
}

themes["employment"] = {
	-- en
	"employment", "employer*", "employability", "job", "jobs", "job club*", "job coach*",
	"job search*", "job seeker*", "jobseeker*", "labour market", "labor market", "work placement*",
	"work experience", "paid work", "vocational", "apprenticeship*", "internship*", "traineeship*",
	"careers advice", "career guidance", "entrepreneur*", "self-employment", "find work",
	"found work", "into work", "working life", "unemploy*", "recognition of qualifications", "cv",
	"cvs",
	-- sv
	"arbetsmarknad*", "arbetsförmedling*", "jobb*", "arbetsgivare*", "anställning*",
	"sysselsättning*", "praktikplats*", "gör praktik", "praktik på", "yrkesutbildning*",
	"snabbspår*", "arbetsplats*", "egenföretag*", "nystartsjobb*", "arbetslös*", "arbetsliv*",
	"rekryter*",
	-- da
	"arbejdsmarked*", "jobcent*", "virksomhedspraktik*", "praktikplads*", "løntimer",
	"beskæftigelse*", "arbejdsgiver*", "ansættelse*", "fast job", "jobsøgning*", "jobkonsulent*",
	"jobvejledning*", "fritidsjob*", "integrationsgrunduddannelse*", "erhvervspraktik*",
	"lønnet arbejde", "arbejdsplads*",
	-- de
	"arbeitsmarkt*", "jobcenter*", "agentur für arbeit", "arbeitgeber*", "beschäftigung*",
	"berufsausbildung*", "ausbildungsplatz*", "ausbildungsplätze*", "berufsabschl*", "berufliche*",
	"praktikum*", "praktika", "arbeitssuche", "arbeitsplatz*", "arbeitsplätze*", "erwerbstätig*",
	"arbeitslos*", "arbeitsaufnahme",
	-- es
	"empleo*", "inserción laboral", "inserción sociolaboral", "laboral*", "mercado de trabajo",
	"búsqueda de empleo", "contrato de trabajo", "prácticas en empresa*", "empleabilidad",
	"emprendimiento", "puesto* de trabajo", "encontrar trabajo", "buscar trabajo",
	"formación profesional",
	-- nl
	"werkervaring*", "werkgever*", "arbeidsmarkt*", "betaald werk", "betaalde baan", "baan",
	"banen", "werkloos*", "werkzoek*", "sollicit*", "werkvloer", "naar werk", "aan het werk",
	"aan werk", "stageplek*", "ondernemer*", "participatiewet",
	-- lv
	"nodarbinātīb*", "darba devēj*", "darba viet*", "darba tirg*", "darbu atrad*", "atrast darbu",
	"atrod darbu", "darba meklē*", "bezdarb*", "karjeras konsult*", "profesionālās apmācīb*",
	"darba prakse*", "prakses viet*", "pieņemt darbā", "uzņēmējdarbīb*",
	-- pl
	"praca", "pracy", "pracę", "zatrudnieni*", "rynek pracy", "rynku pracy", "pracodaw*",
	"doradztw* zawodow*", "doradc* zawodow*", "szukani* pracy", "poszukiwani* pracy",
	"znalaz* prac*", "znalaz* zatrudnieni*", "bezrobot*", "staż*", "aktywizacj* zawodow*",
	-- it
	"inserimento lavorativo", "lavorativ*", "mercato del lavoro", "offerte di lavoro",
	"trovare lavoro", "ricerca di lavoro", "ricerca del lavoro", "occupazion*", "impiego",
	"tirocin*", "datori di lavoro", "centro per l'impiego", "formazione professionale",
	"borse lavoro", "orientamento al lavoro", "posto di lavoro", "posti di lavoro",
	-- fr
	"emploi*", "insertion professionnelle", "marché du travail", "recherche d'emploi",
	"pôle emploi", "employeur*", "entretien* d'embauche", "embauche*", "formation qualifiante",
	"formation professionnelle", "monde du travail", "chômage", "trouver un emploi",
	"entrepreneuriat",
	-- fi
	"työllisyy*", "työllist*", "työpaik*", "työnhak*", "työnantaj*", "työkokeilu*", "työmarkkin*",
	"työvalmentaj*", "työsuhte*", "palkkatu*", "työelämä*", "työttöm*", "yrittäj*",
	"työharjoittelu*", "kausityö*", "rekrytoin*", "töihin",
	-- el
	"απασχόλησ*", "εργοδότ*", "αγορά εργασίας", "αγοράς εργασίας", "θέσεις εργασίας",
	"θέση εργασίας", "βρουν εργασία", "βρήκαν εργασία", "δουλειά*", "πρακτικής άσκησης",
	"πρακτική άσκηση", "επαγγελματικ* κατάρτισ*", "βιογραφικ*", "ανεργ*",
	-- pt
	"emprego*", "inserção profissional", "mercado de trabalho", "procura de emprego",
	"centro de emprego", "empregador*", "contrato* de trabalho", "postos de trabalho",
	"posto de trabalho", "empreendedorismo", "estágio*", "formação profissional",
	"encontrar trabalho", "desempreg*",
}

themes["volunteering"] = {
	"volunteer*", "voluntary sector", "voluntary organisation*", "voluntary organization*",
	"voluntary work", "befriend*", "unpaid", "frivillig*", "ideell*", "volontär*", "fadder*",
	"frivilligt arbejde", "ulønnet*", "ehrenamt*", "freiwillig*", "patenschaft*",
	"bürgerschaftlich* engagement", "voluntari*", "persona* voluntaria*", "vrijwillig*", "maatje*",
	"maatjes*", "brīvprātīg*", "wolontari*", "ochotni*", "volontari*", "bénévol*", "volontaire*",
	"volontariat", "vapaaehtoi*", "talkoo*", "εθελοντ*", "voluntári*",
}

themes["health"] = {
	"health", "healthcare", "health care", "mental health", "wellbeing", "well-being", "medical",
	"doctor*", "gp", "nurse*", "psycholog*", "trauma*", "vaccin*", "screening", "hospital*",
	"clinic*", "covid*", "pandemic", "maternity", "therap*", "illness*", "disease*", "morbidity",
	"mortality", "hälsa", "hälso*", "hälsan", "ohälsa", "sjukvård*", "vårdcentral*", "psykisk*",
	"läkare", "sjukskötersk*", "tandvård*", "pandemi*", "sjuklighet", "dödlighet", "folkhälsa*",
	"sundhed*", "helbred*", "egen læge", "læge", "lægen", "sygepleje*", "sygdom*", "fysioterapeut*",
	"traume*", "trivsel", "gesundheit*", "medizin*", "ärzt*", "arzt*", "psych*", "impf*",
	"vorsorge*", "krankenhaus*", "krankenversicherung*", "pandemie*", "salud*", "sanitari*",
	"médic*", "psicológ*", "vacun*", "atención primaria", "gezondheid*", "huisarts*", "ggz", "ggd",
	"ziekenhuis*", "zorgverzekering*", "medisch*", "veselīb*", "ārst*", "psiholog*", "slimīb*",
	"vakcin*", "medicīn*", "slimnīc*", "zdrowi*", "zdrowot*", "lekarz*", "lekarsk*", "szpital*",
	"szczepi*", "medyczn*", "salute", "ospedal*", "consultori*", "psicolog*", "gravidanza", "santé",
	"soins", "médecin*", "médical*", "hôpita*", "assurance maladie", "dépistage*", "maladie*",
	"tervey*", "lääkär*", "mielenterve*", "rokot*", "psykolog*", "sairaal*", "neuvol*", "υγεί*",
	"γιατρ*", "ιατρικ*", "ψυχολογ*", "ψυχικ*", "νοσοκομ*", "εμβολ*", "saúde", "hospital*",
	"psicológic*", "vacin*",
}

themes["sport-culture"] = {
	"sport", "sports", "sporting", "sportsclub*", "sports club*", "football", "cricket",
	"basketball", "swimming", "running club*", "sport and culture", "culture and sport",
	"cultural activit*", "cultural event*", "cultural life", "arts and culture", "arts",
	"art project*", "music*", "theatre", "theater", "dance", "dancing", "choir*", "festival*",
	"museum*", "concert*", "idrott*", "fotboll*", "idrott och kultur", "kultur och idrott",
	"kulturaktivitet*", "kulturhus*", "musik*", "teater*", "dansa", "dansar", "folkdans*",
	"körsång*", "museer", "konstnär*", "friluftsliv*", "idræt*", "fodbold*", "sportsforening*",
	"kulturliv*", "spejder*", "sportsklub*", "fritidsaktivitet*", "sportverein*", "sportlich*",
	"fußball*", "kulturangebot*", "kulturveranstaltung*", "tanz*", "chor", "chöre", "kunst*",
	"schwimm*", "deporte*", "deportiv*", "fútbol", "cultura y deporte", "deporte y cultura",
	"actividades culturales", "música", "teatro", "danza", "baile*", "museo*", "coro", "coros",
	"sportclub*", "sportvereniging*", "voetbal*", "cultuur", "culturele activiteit*", "muziek*",
	"zwemles*", "sporta", "sportu", "sportisti", "futbol*", "kultūras pasākum*", "kultūras vakar*",
	"kultūras nam*", "kultūras dzīv*", "tautasdziesm*", "dejas", "dejo", "dejot*", "dzied*",
	"mūzik*", "teātr*", "muzej*", "sportow*", "sportem", "piłk* nożn*", "piłkarsk*", "boisk*",
	"wydarzeni* kulturaln*", "kulturaln*", "muzyk*", "teatr*", "taniec", "tańc*", "muzeum*",
	"festiwal*", "turniej*", "mecz", "mecze", "meczach", "meczu", "meczów", "sportiv*", "calcio",
	"attività culturali", "eventi culturali", "musica", "musei", "laboratori* artistic*",
	"sportif*", "sportive*", "activités culturelles", "sorties culturelles", "musique", "théâtre",
	"danse", "musée*", "chorale*", "urheilu*", "liikunta*", "jalkapallo*", "kulttuuri*",
	"harrastu*", "musiik*", "teatteri*", "tanssi*", "kuoro*", "αθλητ*", "ποδόσφαιρ*", "πολιτιστικ*",
	"μουσικ*", "θέατρ*", "χορός", "χορού", "χορευ*", "desporto*", "desportiv*", "esporte*",
	"futebol", "atividades culturais", "eventos culturais", "dança", "museu*",
}

themes["housing"] = {
	"housing", "accommodation", "homeless*", "tenancy", "tenant*", "landlord*", "rent", "rental",
	"rented", "flat", "flats", "apartment*", "dwelling*", "hostel", "hostels", "host famil*",
	"co-housing", "cohousing", "bostad*", "bostäder", "eget boende", "boendet", "boenden",
	"boendestöd*", "lägenhet*", "hyresrätt*", "hyresvärd*", "hemlös*", "bosätt*", "bolig*",
	"lejlighed*", "husleje*", "udlejer*", "hjemløs*", "bosætning*", "wohnung*", "wohnraum*",
	"wohnen", "unterkunft*", "unterkünfte*", "unterbringung*", "miete*", "mieter*", "mietvertr*",
	"vermieter*", "obdachlos*", "wohnungslos*", "gemeinschaftsunterkunft*", "wohnheim*",
	"wohnprojekt*", "sozialwohnung*", "vivienda*", "alquiler*", "piso", "pisos", "propietari*",
	"alojamiento*", "sinhogarismo", "sin hogar", "inquilin*", "huisvesting*", "woning*",
	"woonruimte*", "huur*", "verhuurder*", "dakloos*", "mājokl*", "dzīvokl*", "īres", "īrēt",
	"izīrē*", "naktsmītn*", "bezpajumt*", "mieszkanie", "mieszkania", "mieszkaniu", "mieszkaniach",
	"mieszkaniami", "mieszkań", "mieszkaln*", "czynsz*", "najem*", "wynaj*", "lokal* komunaln*",
	"bezdomn*", "zakwaterowani*", "abitativ*", "alloggi*", "affitt*", "abitazion*", "case popolari",
	"case vuote", "case abbandonate", "accoglienza diffusa", "senza dimora", "senzatetto",
	"logement*", "hébergement*", "loyer*", "colocation*", "bailleur*", "sans abri", "appartement*",
	"locataire*", "asun*", "asumi*", "vuokra*", "koditto*", "majoitu*", "στέγασ*", "διαμερίσμ*",
	"κατοικία", "κατοικίας", "κατοικίες", "ενοίκι*", "άστεγ*", "habitação", "habitacional",
	"alojamento*", "arrendamento*", "casas reabilitadas", "senhorio*", "sem abrigo", "apartamento*",
}

themes["education"] = {
	"school*", "pupil*", "teacher*", "classroom*", "education*", "kindergarten*", "preschool*",
	"homework", "university", "universities", "college", "higher education", "early childhood",
	"curriculum", "skola*", "skolan", "skolor", "skol*", "elever", "eleverna", "elevhälsa*",
	"lärare", "gymnasi*", "förskol*", "grundskol*", "läxhjälp*", "högskol*", "universitet*",
	"vuxenutbildning*", "komvux", "skole", "skolen", "skoler", "folkeskole*", "uddannelse*",
	"lektiecafé*", "lektiehjælp*", "børnehave*", "daginstitution*", "gymnasie*", "schule*",
	"schüler*", "lehrer*", "bildung*", "kita*", "kindergart*", "hausaufgaben*", "universität*",
	"hochschul*", "studium*", "studierend*", "escuela*", "colegio*", "alumn*", "profesor*",
	"educación", "educativ*", "estudiantes", "universidad*", "refuerzo escolar", "escolar*",
	"school", "scholen", "leerling*", "onderwijs", "hoger onderwijs", "docent*", "leraren",
	"leraar", "studenten", "opleiding*", "huiswerk*", "skol*", "izglītīb*", "bērnudārz*",
	"universitāt*", "student*", "pirmsskol*", "szkoła", "szkoły", "szkole", "szkołę", "szkołach",
	"szkół", "szkoln*", "uczni*", "nauczyciel*", "edukacj*", "przedszkol*", "uczelni*", "scuola",
	"scuole", "scolastic*", "studenti", "alunn*", "insegnant*", "istruzione", "educazion*",
	"università", "doposcuola", "école*", "scolai*", "scolari*", "élève", "élèves", "enseignant*",
	"éducati*", "collège*", "lycée*", "université*", "étudiant*", "aide aux devoirs",
	"soutien scolaire", "koulu", "koulussa", "kouluun", "koulun", "koulut", "kouluissa",
	"koululai*", "opettaj*", "oppila*", "varhaiskasvatu*", "päiväkot*", "lukio*", "yliopisto*",
	"ammattikoulu*", "σχολεί*", "μαθητ*", "εκπαιδευτικ*", "πανεπιστήμ*", "νηπιαγωγ*", "escola*",
	"aluno*", "professor*", "educação", "universidade*", "estudantes", "creche*",
}

themes["gender"] = {
	"women", "woman", "gender", "mothers", "girls", "female", "feminis*", "domestic violence",
	"lgbt*", "kvinn*", "tjej*", "flickor", "mammor", "mödrar", "jämställd*", "genus*", "hbtq*",
	"våld i nära relation*", "hedersrelaterat*", "kvinde*", "kvinder", "piger", "mødre",
	"ligestilling*", "kønsbaseret*", "frauen*", "frau", "mütter", "mädchen", "geschlecht*",
	"gleichstellung*", "häusliche gewalt", "mujer*", "género", "madres", "niñas", "chicas",
	"violencia de género", "violencia machista", "vrouw*", "moeders", "meisjes", "emancipatie*",
	"huiselijk geweld", "sievie*", "meiten*", "dzimumu līdztiesīb*", "vardarbīb* ģimenē", "kobie*",
	"dziewcz*", "matki", "matek", "matkom", "matkami", "płeć", "płci", "równouprawnieni*",
	"przemoc* domow*", "le donne", "delle donne", "alle donne", "donne migranti", "donne straniere",
	"donna", "ragazze", "madri", "violenza di genere", "parità di genere", "uguaglianza di genere",
	"femminil*", "femmes", "femme", "filles", "mères", "violences conjugales", "égalité des genres",
	"égalité femmes hommes", "naiset", "naisten", "naisille", "naisia", "naisryhm*", "tytöt",
	"tyttö*", "äidit", "äiti*", "sukupuol*", "lähisuhdeväkival*", "γυναίκ*", "κορίτσ*", "μητέρ*",
	"ισότητα των φύλων", "έμφυλ*", "mulher*", "raparigas", "meninas", "mães", "gênero",
	"violência doméstica", "violência de género", "igualdade de género",
}

themes["unaccompanied-minors"] = {
	"unaccompanied", "separated children", "arrived alone", "arriving alone", "without parents",
	"uasc", "care leaver*", "ensamkommande", "god man", "gode män", "uledsaget*", "uledsagede",
	"unbegleitet*", "minderjährige geflüchtete", "no acompañad*", "extutelad*",
	"menores extranjeros", "menores migrantes", "alleenstaande minderjarige*", "amv", "voogd*",
	"nepavadīt*", "bez vecākiem", "bez opieki", "non accompagnat*", "msna", "tutori volontari",
	"tutore volontario", "non accompagné*", "mna", "mineurs isolés", "ilman huoltajaa",
	"ασυνόδευτ*", "não acompanhad*",
}

themes["rural"] = {
	"rural", "countryside", "village*", "small town*", "remote area*", "agricultur*",
	"depopulation", "sparsely populated", "leader area*", "leader region*", "landsbygd*",
	"glesbygd*", "byar", "byarna", "inlandet", "småort*", "lokalt ledd utveckling",
	"leader område*", "landdistrikt*", "landsby*", "udkantsdanmark", "yderområde*", "ländlich*",
	"dorf", "dörfer*", "dorfgemeinschaft*", "kleinstädte*", "leader region*", "landwirtschaft*",
	"rural*", "despoblaci*", "pueblos", "municipios pequeños", "ganader*", "españa vaciada",
	"platteland*", "dorp*", "krimpregio*", "landbouw*", "lauku", "laukos", "ciemat*", "mazpilsēt*",
	"lauksaimniecīb*", "wieś", "wsi", "wsiach", "wiejsk*", "rolnic*", "małych miejscowości*",
	"małe miejscowości", "borgo", "borghi", "spopolamento", "aree interne", "piccoli comuni",
	"piccolo comune", "agricol*", "villages", "désertification", "milieu rural", "petites communes",
	"maaseu*", "kylä*", "haja asutus*", "maatil*", "maatalou*", "αγροτικ*", "ύπαιθρ*", "χωριό",
	"χωριά", "χωριού", "ορειν*", "despovoamento", "aldeia*", "do interior",
}

themes["orientation"] = {
	"newcomer guide*", "newcomers guide*", "welcome guide*", "guide for newcomers",
	"guide for new residents", "civic orientation", "civic integration", "introduction programme*",
	"introduction program*", "welcome centre*", "welcome center*", "one stop shop*",
	"information for newcomers", "society orientation", "welcome pack*", "orientation course*",
	"orientation session*", "samhällsorientering*", "samhällsinformation*", "etableringsprogram*",
	"introduktionsprogram*", "välkomstguide*", "samfundsforståelse*", "velkomstguide*",
	"integrationsprogram*", "orientierungskurs*", "willkommenszentr*", "willkommensmappe*",
	"wegweiser", "erstorientierung*", "erstberatung*", "guía de acogida",
	"guía para recién llegados", "guía de bienvenida", "primera acogida", "inburgering*",
	"maatschappelijke oriëntatie", "welkomstgids*", "wegwijs*", "ceļved*", "pirmie soļi",
	"pirmos soļus", "przewodnik*", "punkt* informacyjn*", "pierwsze kroki", "informator*",
	"orientamento ai servizi", "guida ai servizi", "educazione civica", "sportello* informativ*",
	"prima accoglienza", "parcours d'intégration", "contrat d'intégration républicaine",
	"formation civique", "livret d'accueil", "guide d'accueil", "primo arrivant*",
	"kotoutumissuunnitelm*", "alkukartoitu*", "yhteiskuntaorientaatio*", "neuvontapiste*",
	"guia de acolhimento", "guia para imigrantes", "primeiro acolhimento",
}

-- children too: the theme is the young, at school age and after
themes["youth"] = {
	"children", "kids", "barn", "barnen", "børn", "børnene", "kinder", "kindern", "niños", "niñas",
	"menores", "kinderen", "bērn*", "dzieci", "dzieciom", "dziećmi", "bambini", "enfants", "lapset",
	"lasten", "lapsille", "παιδιά", "παιδιών", "crianças", "young people", "youth", "teenager*",
	"adolescent*", "young refugees", "young migrants", "young adults", "children and young people",
	"ungdom*", "unga", "tonåring*", "unga vuxna", "barn och unga", "unge", "ungdom*", "jugend*",
	"junge menschen", "junge geflüchtete", "heranwachsend*", "kinder und jugendliche", "jóvenes",
	"juventud", "adolescent*", "juvenil*", "jongeren", "jonge vluchtelingen", "jonge nieuwkomers",
	"jonge statushouders", "jeugd*", "jongvolwassen*", "tieners", "jaunieš*", "jaunatn*",
	"młodzież*", "młodzi", "młodych", "młodym", "nastolat*", "giovani", "ragazzi", "giovanil*",
	"jeunes", "jeunesse", "nuor*", "νέοι", "νέων", "νεολαί*", "έφηβ*", "νέους", "jovens",
	"juventude",
}

themes["anti-discrimination"] = {
	"discriminat*", "racism", "racist", "anti racism", "anti-racist", "hate crime*", "hate speech",
	"xenophob*", "prejudice*", "equal treatment", "stereotype*", "islamophob*", "antisemit*",
	"diskrimin*", "rasism*", "rasist*", "hatbrott*", "fördom*", "främlingsfientlig*",
	"likabehandling*", "racisme*", "racist*", "fordom*", "hadforbrydels*", "ligebehandling*",
	"diskriminier*", "rassismus*", "rassist*", "antirassis*", "vorurteil*", "fremdenfeindlich*",
	"hasskriminalität", "gleichbehandlung*", "antidiskriminierung*", "discrimina*", "racismo",
	"racista*", "xenofob*", "prejuicio*", "delitos de odio", "igualdad de trato", "estereotipo*",
	"discrimin*", "racistisch*", "vooroordel*", "gelijke behandeling", "diskriminācij*",
	"aizspriedum*", "naida noziegum*", "naida run*", "dyskrymin*", "rasizm*", "rasistowsk*",
	"uprzedze*", "ksenofob*", "mowa nienawiści", "mowy nienawiści", "równe traktowanie", "razzismo",
	"razzist*", "pregiudizi*", "discorsi d'odio", "parità di trattamento", "stereotipi",
	"discriminatoire*", "raciste*", "xénophob*", "préjugé*", "égalité de traitement", "stéréotype*",
	"syrjin*", "rasisti*", "ennakkoluulo*", "vihapuhe*", "yhdenvertaisu*", "διακρίσ*", "ρατσισμ*",
	"ρατσιστικ*", "ξενοφοβ*", "προκατάληψ*", "preconceito*", "igualdade de tratamento",
	"discurso de ódio",
}

-- interact: contact between newcomers and residents; language, culture, sport
focus_areas["interact"] = {
	"meeting place*", "meet local*", "local people", "locals", "neighbour*", "neighbor*",
	"local residents", "long-term residents", "bring* together", "brought together",
	"intercultural", "friendship*", "friends", "buddy", "buddies", "befriend*", "get to know",
	"social contact*", "mixed teams", "host famil*", "shared meal*", "tandem*", "community event*",
	"intercultur*", "mötesplats*", "träffas", "mötas", "lära känna", "gemenskap*", "vänner",
	"grannar", "fika*", "mingel*", "språkvän*", "interkulturell*", "mødested*", "mødes",
	"fællesskab*", "venskab*", "naboer", "danskere", "begegnung*", "treffpunkt*", "kennenlernen",
	"nachbarschaft*", "nachbar*", "freundschaft*", "einheimisch*", "zusammenleben", "vecinos",
	"vecinas", "vecindario", "convivencia", "encuentro*", "amistad*", "intercultural*",
	"comunidad local", "ontmoet*", "buurtbewoners", "buren", "vriendschap*", "maatje*",
	"taalmaatje*", "kennismaken", "nederlanders", "tiekas", "tikšan*", "satikt*", "iepazī*",
	"vietēj* iedzīvotāj*", "draug*", "kaimiņ*", "starpkultūr*", "spotka*", "spotyka*", "mieszkańc*",
	"poznaj*", "poznać", "przyjaźni*", "przyjaci*", "sąsiad*", "międzykulturow*", "incontr*",
	"abitanti", "vicini", "amicizi*", "convivenza", "rencontr*", "habitants", "voisin*",
	"lien social", "liens sociaux", "convivialité", "interculturel*", "vivre ensemble", "kohtaami*",
	"tapaa*", "tutustu*", "ystäv*", "naapur*", "kantaväe*", "γνωρίσ*", "γνωριμ*", "γείτον*",
	"γειτονι*", "συνάντησ*", "διαπολιτισμικ*", "vizinhos", "convívio", "convivência", "encontro*",
	"conhecer", "amizade*", "comunidade local",
}

-- participation: newcomers taking part in civic life, work, volunteering, decisions
focus_areas["participation"] = {
	"participation", "participatory", "take part", "takes part", "taking part", "civic",
	"citizenship", "active citizen*", "vote", "voting", "election*", "elected", "advisory board*",
	"advisory council*", "have a say", "decision-making", "decision making", "co-creation",
	"co-design", "consultation*", "empower*", "migrant organisation*", "self-organis*", "advocacy",
	"leadership", "community leaders", "champions", "ambassador*", "peer educator*", "delaktighet*",
	"inflytande", "medborgar*", "demokrati*", "rösta", "förtroendevald*", "påverka",
	"ledarutbildning*", "brukarråd*", "egenmakt", "medborgerskab*", "medborgerinddragelse*",
	"medindflydelse*", "inddragelse*", "stemmeret*", "beboerråd*", "beboerdemokrati*",
	"aktiv* medborger*", "teilhabe*", "partizipation*", "beteiligung*", "mitbestimm*",
	"mitgestalt*", "integrationsrat*", "integrationsbeirat*", "beirat*", "wahl", "wahlen",
	"wahlbeteiligung*", "selbstorganisation*", "migrantenorganisation*", "empowerment", "lotse",
	"lotsen", "lotsin*", "gesundheitslots*", "integrationslots*", "stadtteilmütter",
	"participación", "participativ*", "ciudadanía", "toma de decisiones", "asociacionismo",
	"asociaciones de inmigrantes", "asociaciones de migrantes", "organizaciones de migrantes",
	"asociaciones vecinales", "liderazgo", "empoderamiento", "voto", "votar", "elecciones",
	"cocreación", "co creación", "participatie*", "inspraak", "meedoen", "meepraten",
	"meebeslissen", "burgerschap", "stemrecht", "verkiezing*", "zelforganisatie*",
	"migrantenorganisatie*", "bewonersraad*", "adviesraad*", "sleutelperso*", "ervaringsdeskundig*",
	"līdzdalīb*", "pilsonisk*", "lēmumu pieņemšan*", "iesaist*", "vēlēšan*", "balsot*",
	"konsultatīv* padom*", "kopienas līder*", "partycypacj*", "obywatelsk*", "rad* imigrant*",
	"przedstawiciel*", "wybieran*", "wybran*", "współdecyd*", "konsultacj* społeczn*", "udział",
	"udziału", "wybory", "głosow*", "zaangażowani*", "samoorganizacj*", "lider*", "partecipazion*",
	"partecipativ*", "cittadinanza attiva", "cittadinanza", "consulta degli stranieri",
	"consiglio degli stranieri", "rappresentanza", "elezioni", "associazionismo", "protagonismo",
	"participation citoyenne", "citoyenneté", "démocratie participative", "participatif*",
	"prise de décision", "pouvoir d'agir", "élections", "engagement citoyen",
	"associations de migrants", "osallisuu*", "vaikuttamis*", "kansalaistoimin*", "demokratia*",
	"äänestä*", "vaalit", "monikulttuurisuusneuvost*", "maahanmuuttajaneuvost*", "päätöksente*",
	"συμμετοχ*", "ενεργοί πολίτες", "ενεργών πολιτών", "εκλογ*", "ψηφ*", "ενδυνάμωσ*",
	"λήψη αποφάσεων", "participação", "cidadania", "associações de imigrantes", "tomada de decisão",
	"tomada de decisões", "empoderamento", "eleições", "dinamizador*",
}

-- governance: strategies, coordination, networks, policy, funding, data
focus_areas["governance"] = {
	"strateg*", "coordinat*", "network*", "partnership*", "policy", "policies", "policy makers",
	"funding", "funded", "budget*", "data", "statistic*", "indicator*", "monitoring", "evaluation",
	"research*", "conference*", "local authorit*", "municipalities", "action plan*", "cooperation",
	"co-operation", "stakeholder*", "exchange of experience*", "knowledge exchange",
	"good practice*", "peer learning", "study visit*", "governance", "steering group*",
	"public bodies", "multi-level", "amif", "esf", "interreg", "europe for citizens", "erasmus",
	"strategi*", "samordn*", "samverkan", "samarbet*", "nätverk*", "partnerskap*", "finansier*",
	"beviljades", "statistik*", "uppföljning*", "utvärdering*", "forskning*", "forskare",
	"konferens*", "handlingsplan*", "erfarenhetsutbyte*", "lärplattform*", "styrgrupp*",
	"myndighet*", "länsstyrelse*", "kommuner", "koordiner*", "samarbejd*", "netværk*",
	"partnerskab*", "politik*", "bevilling*", "evaluering*", "konference*", "helhedsplan*",
	"styregruppe*", "kommunerne", "erfaringsudveksling*", "videnscent*", "ressourcecent*",
	"strategie*", "strategisch*", "koordin*", "netzwerk*", "vernetzung*", "kooperation*",
	"zusammenarbeit*", "partnerschaft*", "fördermittel*", "förderprogramm*", "finanzier*", "daten",
	"evaluation*", "forschung*", "konferenz*", "tagung*", "handlungskonzept*",
	"integrationskonzept*", "leitbild*", "steuerungsgruppe*", "koordinierungsstelle*",
	"gemeindebund*", "verwaltung*", "behörde*", "estrategi*", "coordina*", "trabajo en red",
	"redes", "alianza*", "partenariado", "políticas públicas", "plan* de integración",
	"plan municipal", "financiaci*", "financiad*", "subvenci*", "presupuesto*", "datos",
	"estadístic*", "indicador*", "evaluaci*", "investigaci*", "conferencia*", "administraci*",
	"cooperación", "netwerk*", "samenwerking*", "partnerschap*", "beleid*", "subsidie*", "cijfers",
	"monitor*", "evaluatie*", "onderzoek*", "conferentie*", "gemeenten", "actieplan*",
	"ketenpartners", "regie", "stratēģij*", "sadarbīb*", "tīkl*", "partnerīb*", "rīcības plān*",
	"finansējum*", "budžet*", "dati", "datu", "rādītāj*", "pētījum*", "pētniek*", "konferenc*",
	"integrācijas padom*", "darba grup*", "departament*", "ministrij*", "koordyn*", "współprac*",
	"sieć", "sieci", "partnerstw*", "polityk*", "finansow*", "budżet*", "dane", "danych",
	"statysty*", "wskaźnik*", "konferencj*", "model* integracji", "uchwał*", "program* miejsk*",
	"plan* działa*", "samorząd*", "coordinament*", "rete", "reti", "partenariat*", "politiche",
	"finanziament*", "finanziat*", "bilancio", "dati", "monitoraggio", "valutazion*", "ricercator*",
	"conferenz*", "piano d'azione", "tavolo di coordinamento", "enti locali",
	"sistema di accoglienza", "protocollo d'intesa", "ministero", "stratégi*", "coordin*",
	"coordonn*", "réseau*", "partenariat*", "politique* publique*", "financement*", "financé*",
	"subvention*", "données", "statistique*", "indicateur*", "évaluation*", "conférence*",
	"plan d'action", "collectivités", "dispositif*", "pilotage", "gouvernance", "yhteistyö*",
	"verkosto*", "kumppanuu*", "politiik*", "rahoitu*", "rahoitta*", "budjet*", "tilasto*",
	"arvioin*", "tutkimu*", "hanke*", "hankkee*", "toimenpideohjelm*", "kotoutumisohjelm*",
	"seuranta*", "seurataan", "kunnat", "ely keskus*", "στρατηγικ*", "συντονισμ*", "δίκτυ*",
	"συνεργασί*", "χρηματοδότησ*", "χρηματοδοτ*", "προϋπολογισμ*", "δεδομένα", "στατιστικ*",
	"αξιολόγησ*", "έρευν*", "συνέδρι*", "σχέδιο δράσης", "estratégi*", "coordena*", "parceria*",
	"financiamento*", "orçamento*", "dados", "estatístic*", "avaliação", "investigação",
	"conferência*", "plano municipal", "plano* de integração", "autarquia*",
}

return {
	themes = themes,
	focus_areas = focus_areas,
	-- the focus area a theme belongs to by definition, and the weight it adds to it
	implies = {
		["language-learning"] = "interact",
		["sport-culture"] = "interact",
		["employment"] = "participation",
	},
}
