"""Names for the synthetic families, grouped by heritage so a family's names hang together.

Swansea Bay is mostly Welsh and English-named, with long-settled Bangladeshi, Chinese,
Arab (Yemeni and Syrian), African and Polish communities; the lists reflect that mix.
Apostrophes, hyphens and accents are deliberate: every page must show them correctly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    family: tuple[str, ...]
    # Languages some families of this heritage prefer to English (never Welsh: see families).
    languages: tuple[str, ...] = ()


def name_list(text: str) -> tuple[str, ...]:
    """A comma-separated list, so long name lists stay compact and easy to edit."""
    return tuple(name.strip() for name in text.split(","))


WELSH = NamePool(
    girls=name_list(
        "Ffion, Cerys, Megan, Seren, Nia, Elin, Lowri, Alys, Mali, Cadi, Efa, Gwen, "
        "Eira, Tegan, Carys, Sioned, Olivia, Amelia, Isla, Ava, Freya, Lily, Grace, "
        "Ella, Evie, Poppy, Sophie, Ruby, Harper, Willow, Isabella, Mia, Rosie, "
        "Millie, Erin, Chloe, Jessica, Ellie, Darcie, Maisie, Lacey-Mai, Summer, "
        "Nansi, Heledd, Anwen, Bethan, Mabli, Lili"
    ),
    boys=name_list(
        "Dylan, Rhys, Osian, Gethin, Iwan, Macsen, Tomos, Cai, Harri, Jac, Ioan, Llew, "
        "Elis, Aled, Owain, Steffan, Noah, Oliver, Jack, Charlie, Leo, Alfie, Jacob, "
        "Oscar, Theo, Harry, Freddie, George, Arthur, Riley, Mason, Logan, Tyler, Kai, "
        "Finley, Lewis, Callum, Ethan, Jayden, Reuben, Gruffydd, Siôn, Deio, Morgan, "
        "Samuel, Alexander, Daniel, Taliesin"
    ),
    family=name_list(
        "Jones, Williams, Davies, Evans, Thomas, Roberts, Lewis, Hughes, Morgan, "
        "Griffiths, Edwards, Rees, Jenkins, Price, Phillips, Powell, Morris, James, "
        "Bowen, Llewellyn, Pritchard, Howells, Richards, Harris, Watkins, Owen, Parry, "
        "Lloyd, Probert, Bevan, Hopkins, Prosser, Rowlands, Walters, Protheroe, "
        "Vaughan, Gwynne, Matthews, Smith, Taylor, Brown, Clarke, Walker, Wood, "
        "Mainwaring, Beynon, David, John, Ap Rhys, Rees-Jones, Tucker, Bennett, "
        "Harries, Pugh, Meredith, Gravell, Lake"
    ),
)

IRISH = NamePool(
    girls=name_list("Aoife, Siobhan, Niamh, Ciara, Bridget, Kathleen, Mary, Shannon"),
    boys=name_list("Patrick, Michael, Cian, Sean, Johnny, Martin, Thomas, Liam"),
    family=name_list("Murphy, O'Brien, Kelly, Doherty, McDonagh, Connors, Ward, O'Neill"),
)

EUROPEAN = NamePool(
    girls=name_list("Zuzanna, Julia, Maja, Zofia, Lena, Oliwia, Ioana, Maria, Beatriz"),
    boys=name_list("Jakub, Antoni, Szymon, Filip, Mateusz, Andrei, Luca, Tiago, Kacper"),
    family=name_list(
        "Nowak, Wójcik, Kaczmarek, Mazur, Krawczyk, Popescu, Ionescu, Silva, Santos, "
        "Ferreira, Horváth, Petrov, Zieliński, Dąbrowski"
    ),
    languages=name_list("Polish, Polish, Romanian, Portuguese, Bulgarian"),
)

BANGLADESHI = NamePool(
    girls=name_list("Ayesha, Fatima, Maryam, Sumaiya, Tasnim, Nusrat, Anika, Raisa"),
    boys=name_list("Ibrahim, Muhammad, Rayyan, Zayan, Arif, Tahmid, Yusuf, Sami"),
    family=name_list("Miah, Uddin, Ahmed, Rahman, Hossain, Islam, Ali, Chowdhury"),
    languages=name_list("Bengali, Sylheti"),
)

PAKISTANI = NamePool(
    girls=name_list("Zainab, Hira, Aleena, Inaya, Amna"),
    boys=name_list("Hamza, Bilal, Ayaan, Zain, Usman"),
    family=name_list("Hussain, Khan, Iqbal, Akhtar, Mahmood, Shah"),
    languages=name_list("Urdu, Punjabi"),
)

INDIAN = NamePool(
    girls=name_list("Priya, Ananya, Diya, Saanvi, Aadhya, Meera"),
    boys=name_list("Arjun, Aarav, Rohan, Vihaan, Krish, Dev"),
    family=name_list("Patel, Sharma, Singh, Nair, Reddy, Gupta, Menon"),
    languages=name_list("Malayalam, Gujarati, Hindi"),
)

CHINESE = NamePool(
    girls=name_list("Mei, Xinyi, Zihan, Yuxi, Chloe, Grace"),
    boys=name_list("Hao, Jun, Wei, Yichen, Ethan, Ryan"),
    family=name_list("Wang, Li, Zhang, Chen, Liu, Huang, Lin, Wong"),
    languages=name_list("Mandarin, Cantonese"),
)

OTHER_ASIAN = NamePool(
    girls=name_list("Angel, Nicole, Sujata, Althea, Kim"),
    boys=name_list("Sujan, Miguel, Bikash, Joshua, Tuan"),
    family=name_list("Gurung, Tamang, Rai, Reyes, Cruz, Nguyen, Tran"),
    languages=name_list("Nepali, Tagalog, Vietnamese"),
)

AFRICAN = NamePool(
    girls=name_list("Amara, Chiamaka, Ifeoma, Hodan, Ayan, Selam, Nardos, Precious"),
    boys=name_list("Chidi, Tobi, Kwame, Abdirahman, Yonas, Samuel, Daniel, Emmanuel"),
    family=name_list("Okafor, Adeyemi, Mensah, Osei, Mohamed, Abdi, Tesfaye, Haile"),
    languages=name_list("Somali, Tigrinya, Arabic, Yoruba"),
)

CARIBBEAN = NamePool(
    girls=name_list("Jada, Kiara, Tia, Aaliyah, Shanice"),
    boys=name_list("Jerome, Malachi, Marcus, Tyrese, Jordan"),
    family=name_list("Campbell, Clarke, Thompson, Grant, Robinson, Francis"),
)

ARAB = NamePool(
    girls=name_list("Layla, Maryam, Noor, Hala, Rawan, Sara, Lina"),
    boys=name_list("Omar, Ahmad, Yousef, Karim, Adam, Khalid, Hamza"),
    family=name_list("Al-Hakimi, Saleh, Haddad, Al-Sayed, Nasser, Qasim, Hamid, Al-Shami"),
    languages=name_list("Arabic"),
)

OTHER = NamePool(
    girls=name_list("Roza, Elif, Darya, Shirin, Zara"),
    boys=name_list("Aras, Emir, Kian, Rebin, Darius"),
    family=name_list("Rostami, Karimi, Ahmadi, Yilmaz, Demir, Mustafa"),
    languages=name_list("Kurdish, Farsi, Turkish"),
)

# Which pool names a child recorded with each Wales 2021 census ethnic group.
POOL_FOR_ETHNICITY: dict[str, NamePool] = {
    "W1": WELSH,
    "W2": IRISH,
    "W3": IRISH,
    "W4": EUROPEAN,
    "W5": EUROPEAN,
    "A1": INDIAN,
    "A2": PAKISTANI,
    "A3": BANGLADESHI,
    "A4": CHINESE,
    "A5": OTHER_ASIAN,
    "B1": CARIBBEAN,
    "B2": AFRICAN,
    "B3": AFRICAN,
    "O1": ARAB,
    "O2": OTHER,
    "Z": WELSH,
    "99": WELSH,
}

# The second parent's heritage in a mixed family (the first is Welsh or British).
MIXED_PARTNER: dict[str, NamePool] = {
    "M1": CARIBBEAN,
    "M2": AFRICAN,
    "M3": BANGLADESHI,
    "M4": ARAB,
}

# Familiar short forms some children go by.
SHORT_FORMS: dict[str, str] = {
    "Alexander": "Alex",
    "Samuel": "Sam",
    "Daniel": "Dan",
    "Isabella": "Bella",
    "Gruffydd": "Gruff",
    "Muhammad": "Mo",
    "Taliesin": "Tal",
    "Jessica": "Jess",
    "Abdirahman": "Abdi",
    "Emmanuel": "Manny",
}

STREETS: tuple[str, ...] = name_list(
    "Heol y Nant, Heol y Felin, Ffordd y Brenin, Lôn Cedwyn, Maes yr Haf, "
    "Church Street, High Street, Station Road, Park Terrace, Victoria Road, "
    "Brynhyfryd Road, Llangyfelach Road, New Road, Chapel Street, Mill Lane, "
    "Cwrt Tawe, Ael y Bryn, Clos Ceirios, Rhodfa'r Dderwen, Tan-y-Bryn, "
    "Sandfields Road, Marine Drive, Gwalia Crescent, Neath Road, Eastland Road"
)
