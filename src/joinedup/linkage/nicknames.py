"""Given-name nicknames and spelling variants common in the UK, for record linkage.

A general table written for linkage, independent of any data set: each line is a canonical
name followed by the short forms, pet names and spellings that people and agencies commonly
write for it. A name may belong to several canonical names (Alex -> Alexander, Alexandra;
Sam -> Samuel, Samantha), so `canonical_names` returns a tuple, and two records are
"nickname-compatible" when their tuples share a name. A name not in the table is its own
canonical name.

The table only ever adds evidence that two different spellings may be one person; it never
says two names are different people.
"""

from __future__ import annotations

from functools import cache

__all__ = ["NICKNAMES", "canonical_names"]

# canonical: variants (lowercase, ASCII, space-separated)
_TABLE = """
aaron: aron arron
abdullah: abdulla abdallah
abigail: abi abbie abby abbi gail
adam: addy
adrian: ade
aidan: aiden aden ayden aydan
aisha: ayesha aysha aishah ayisha
alan: allan allen al
albert: al albie bert bertie
alexander: alex alec alexandre alasdair alistair alastair sandy xander lex
alexandra: alex alexa lexi lexie sandra sasha zandra
alexis: lexi
alfred: alf alfie fred freddie
alice: ally allie alicia alys
alison: allison ali ally
amelia: millie milly amy mia
arabella: bella bel
amanda: mandy manda
amy: aimee amie ami
andrew: andy drew andi
angela: angie
anna: ann anne annie
anthony: tony antony ant
archibald: archie arch
archie: archy
arthur: art artie
barbara: barb babs barbie
benjamin: ben benji benny
babatunde: tunde
bethany: beth
bradley: brad
brandon: bran
caitlin: kaitlyn katelyn caitlyn kaitlin
callum: calum
cameron: cam
caroline: carol carrie caro
catherine: katherine kathryn catharine cathryn kate katie katy kat cath cathy kathy kitty kay
charles: charlie chas chuck chaz
charlotte: charlie lottie lotti char
chloe: cloe khloe
christian: chris kristian
chukwuemeka: emeka chuka
christina: christine chris tina kristina
christopher: chris kris topher kit
claire: clare clara
connor: conor conner
daniel: dan danny dani
danielle: dani danni
david: dave davy davey dai
deborah: debbie debra deb
dominic: dom dominik
dorothy: dot dotty dora
edward: ed eddie eddy ted teddy ned
eleanor: ellie elly nell nellie eleanore elinor leonora nora
elizabeth: liz lizzie lizzy beth betty bess bessie eliza libby elisabeth elspeth lisa liza betsy
ella: ellie
emily: em emmy emilie emely
emma: em emmy
esther: essie
evelyn: evie eve
eve: evie eva
faith: faye
florence: flo florrie flossie
frances: fran fanny frankie
francesca: fran frankie cesca
francis: frank frankie fran
frederick: fred freddie freddy fredrick
gabriel: gabe gabby
gabriella: gabby gabrielle ella
gareth: gaz
gary: gaz garry
geoffrey: geoff jeff jeffrey
george: georgie geordie
georgina: georgie gina
gerald: gerry jerry ged
graham: graeme gray
gregory: greg
gwendolen: gwen
harold: harry hal
harriet: hattie harri
harrison: harry
harry: harri
helen: ellen nell helena
henry: harry hal hank
hussain: hussein husain hossain
ibrahim: ibraheem ebrahim
imogen: immy imy
isabel: isabelle isobel izzy izzie bella issy isabella belle
isaac: ike zac
jack: jak
jacob: jake jakob
jacqueline: jackie jacqui
james: jim jimmy jamie jimi jas
jamie: jaime jaimie
jane: janie jayne
janet: jan jenny
jasmine: jasmin yasmin yasmine jaz jazz jazmin
jennifer: jen jenny jenni jennie
jessica: jess jessie jessy
joanna: jo joanne joann
john: jon johnny jonny jock
jonathan: jon jonny jonathon johnathan nathan
jordan: jordon
joseph: joe joey jo
joshua: josh
judith: judy jude
julia: jules julie
julian: jules
karen: caren karin
kayleigh: kayley kaylee kailey kaley
lacey: lacie laci lacy
keith: keef
kenneth: ken kenny
kimberley: kim kimberly
lauren: loren lauryn
lawrence: laurence larry laurie lol
leah: lea lia
leonard: len lenny leo
lewis: louis lou
lily: lilly lillie lilie
louise: lou lulu louisa
lucy: lucie luce
luke: lucas
madison: maddie maddy madi
margaret: maggie meg peggy marge madge mags greta maisie
maria: mariah marie mia
mark: marc marcus
martin: marty
mary: molly polly mae may maria mae
matilda: tilly tilda tillie mattie
matthew: matt matty mathew
megan: meg meghan meagan
melissa: mel missy lissa
michael: mike mikey mick micky mickey mikael michal
michelle: shelly michele
mohammed: mohammad mohamed muhammad muhammed mohamad mohammod muhamed mohd mo mohamud
morgan: mo
nathan: nate nat
nathaniel: nate nat nathan
natalia: natalie natasha nat tash tasha talia nata
nicholas: nick nicky nico nicolas nik
nicola: nicky nikki nicole
oliver: ollie olly
olivia: liv livvy livvie libby ollie
patricia: pat patty tricia trish
patrick: pat paddy patty
penelope: penny
peter: pete
philip: phil phillip pip
phoebe: pheobe
rachel: rach rachael
rebecca: becky becca bex rebekah
richard: rich richie rick ricky dick
robert: rob robbie bob bobby bert robin
ronald: ron ronnie
rosemary: rosie rose
ruby: rubie
samantha: sam sammy sammie
samuel: sam sammy sammie
sarah: sara sally sadie
scarlett: scarlet
sebastian: seb sebby bastian
siobhan: shevaun chevonne
sophia: sophie sofia sofie
stephanie: steph stevie
stephen: steve steven stevie
stuart: stewart stu
susan: sue susie suzy suzanne
sylvia: silvia
teresa: theresa tess tessa terri
theodore: theo ted teddy
thomas: tom tommy thom
timothy: tim timmy
toby: tobias
valerie: val
victoria: vicky vicki vikki tori wiktoria viktoria
vincent: vince vinny
walter: wally walt
william: will willie willy bill billy liam wills
yusuf: yousef yousuf yusef yousif
zachary: zach zack zak zac
zoe: zoey zoey zoie
"""


def _build() -> dict[str, tuple[str, ...]]:
    groups: dict[str, set[str]] = {}
    for line in _TABLE.strip().splitlines():
        canonical, _, variants = line.partition(":")
        canonical = canonical.strip()
        for name in {canonical, *variants.split()}:
            groups.setdefault(name, set()).add(canonical)
    # A canonical name that is also a variant of another (harry -> henry, harold, harrison)
    # keeps itself as well, so "harry" and "harrison" are compatible but "henry" and "harold"
    # are not compatible with each other.
    return {name: tuple(sorted(canons)) for name, canons in groups.items()}


NICKNAMES: dict[str, tuple[str, ...]] = _build()


@cache
def canonical_names(name: str) -> tuple[str, ...]:
    """The canonical names a normalised (lowercase ASCII) given name may stand for."""
    if not name:
        return ()
    return NICKNAMES.get(name, (name,))
