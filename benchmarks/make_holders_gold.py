"""Writes benchmarks/holders_gold.jsonl: attributable sentences with their holder, labelled by hand.

split "seed": sentences of seeds/*.txt, used while developing annotator.session.holders.
split "written": benchmarks/holders_texts/w*.txt, news text written for this benchmark and labelled
  before the attribution code existed; its misses were looked at once (after the first measurement),
  and some general bugs they showed were fixed, so it is no longer strictly held out.
split "fresh": benchmarks/holders_texts/f*.txt, written and labelled after that, before those fixes;
  its misses were not looked at while tuning: the held-out figure.
holder: acceptable answers, the first is the preferred one.
"""

import json
import pathlib
import re

S0="seeds/000_13fea0c610b050c5.txt"
S1="seeds/003_57a688f70a540076.txt"
S2="seeds/001_2bdc9ae32607dc18.txt"
S3="seeds/002_9d59a1cdc1672ff3.txt"
S4="seeds/004_98d9d8f7edc6f999.txt"
W="benchmarks/holders_texts/"
UM=["Rustem Umerov","Umerov"]
ZE=["Volodymyr Zelensky","Zelensky"]
ZY=["Volodymyr Zelenskyy","Zelenskyy"]
items = [
(S0,"the White House says there are currently no plans for a bilateral meeting.",["White House"],"org"),
(S0,"Delegations from Ukraine and the US will continue their efforts to agree a peace deal at the World Economic Forum in Davos this week, according to Kyiv‘s lead negotiator.",["Kyiv‘s lead negotiator"]+UM,"according_to"),
(S0,"Ukrainian negotiator Rustem Umerov said talks would continue “at the team level during the next phase of consultations in Davos”.",UM,"reported"),
(S0,"Last night Zelensky said work continued to restore energy infrastructure devastated by targeted Russian strikes, and that such attacks showed Vladimir Putin had no interest in peace.",ZE,"reported"),
(S0,"“If the Russians were seriously interested in ending the war, they would have focused on diplomacy,” Zelensky said in his nightly video address.",ZE,"quote"),
(S0,"Former Archbishop of Canterbury: Putin is a heretic – he has no holy mission in Ukraine",["Former Archbishop of Canterbury","Archbishop of Canterbury","Williams"],"headline"),
(S0,"During a speech to mark Orthodox Christmas earlier this month, Putin called his soldiers “warriors” who were acting “as if at the Lord’s behest” and “defending the fatherland”.",["Putin"],"reported"),
(S0,"Mr Williams, who served as the Archbishop of Canterbury from 2002 to 2012, condemned the use of religion to justify the invasion as “disturbing” and said that Putin’s revanchism directly contradicts the message preached by Jesus Christ.",["Williams"],"reported"),
(S0,"“I’d certainly say we’re talking about heresy,” he told The Independent.",["Williams"],"pronoun"),
(S0,"“We’re talking about something which undermines a really fundamental aspect of religious belief, of Christian belief, which assumes that we have to defend God by violence.”",["Williams"],"quote"),
(S0,"Watch: Europe says tariff threat ‘risks dangerous downwards spiral’ in joint statement",["Europe"],"headline"),
(S0,"Putin not interested in diplomacy, says Zelensky",ZE,"headline"),
(S0,"President Volodymyr Zelensky said it was important to outline the dire effects of the Russian strikes as they demonstrated that Russia was not interested in diplomacy.",ZE,"reported"),
(S0,"He said Ukrainian intelligence had determined that Russia was conducting reconnaissance on key sites in preparation for strikes, including targets linked to Ukraine’s nuclear power stations.",ZE,"pronoun"),
(S0,"Ukraine’s foreign minister Andrii Sybiha said on Saturday that there was evidence Russia was considering attacks on power substations supplying nuclear power stations.",["Andrii Sybiha"],"reported"),
(S0,"Russia planning big boost in drone production, says Ukraine’s top military commander",["Ukraine’s top military commander","Oleksandr Syrskyi"],"headline"),
(S0,"Russia is showing no signs of interest in talks leading to a peace deal and is instead focusing on boosting arms production, including a target of 1,000 drones a day, Ukraine’s top military commander has said.",["Ukraine’s top military commander","Oleksandr Syrskyi"],"description"),
(S0,"General Oleksandr Syrskyi told the online media outlet lb.ua in an interview.",["Oleksandr Syrskyi"],"quote"),
(S0,"“At the moment, the enemy produces daily 404 ‘Shaheds’ (Iranian-designed drones) of different kinds.",["Oleksandr Syrskyi"],"quote"),
(S0,"Watch: Energy grid restoration works ‘complicated’ due to constant Russian strikes, says Zelensky",ZE,"headline"),
(S0,"Volodymyr Zelensky said he held a special energy coordination meeting yesterday, noting that the situation remains most difficult in several areas.",ZE,"reported"),
(S0,"He said Kyiv, Kharkiv, Zaporizhzhia and the surrounding regions are the worst hit due to Russian attacks.",ZE,"pronoun"),
(S0,"Ukraine needs to ramp up electricity imports and acquire additional equipment from its partners, the Ukrainian president said.",ZE,"description"),
(S0,"Zelensky said he has ordered a separate review in Kyiv to identify buildings that are still without heating.",ZE,"reported"),
(S0,"“Unfortunately, there are discrepancies between city-level and government-level reports even concerning the number of such buildings.",ZE,"quote"),
(S0,"Talks with US officials on a resolution of the nearly four-year-old war with Russia will continue at the World Economic Forum opening this week in the Swiss resort of Davos, Ukraine’s top negotiator Rustem Umerov said.",UM,"reported"),
(S0,"In a message on Telegram, Umerov said two days of talks in Florida with a US team including envoy Steve Witkoff and Jared Kushner, president Donald Trump’s son-in-law, had focused on security guarantees and a post-war recovery plan for Ukraine.",UM,"reported"),
(S0,"He gave no indication whether any agreements had been achieved at the meeting.",UM,"pronoun"),
(S0,"“We agreed to continue work at the team level during the next phase of consultations in Davos,” Umerov said.",UM,"quote"),
(S0,"“focusing on practical mechanisms and carrying out and implementing them,” Mr Umerov said.",UM,"quote"),
(S0,"He said his delegation had reported on Russian strikes last week which badly damaged Ukraine’s energy infrastructure and left hundreds of apartment buildings with no heating or electricity.",UM,"pronoun"),
(S0,"Watch: ‘Ukraine delegation in US to brief officials on Russian strikes’ says Zelensky as he urges diplomatic progress",ZE,"headline"),
(S0,"Watch: Russian attack on residential Kharkiv kills woman, Ukraine says",["Ukraine"],"headline"),
(S2,"Ukrainian authorities stated that 653 drones and 51 missiles were launched, the majority intercepted.",["Ukrainian authorities"],"org"),
(S2,"Moscow claimed its attacks were aimed at energy sites, port facilities, and military industry.",["Moscow"],"org"),
(S2,"Condemning the barrage, the French president announced plans to travel to London on Monday for discussions with Ukrainian, British, and German leaders aimed at tightening diplomatic pressure on Moscow.",["the French president"],"description"),
(S2,"He wrote on social media, \"We must continue to put pressure on Russia to force it towards peace.\"",["the French president"],"pronoun"),
(S2,"He said he would meet the leaders to review the U.S.-brokered negotiations currently underway.",["the French president"],"pronoun"),
(S2,"Before this, American and Ukrainian representatives had urged Moscow to demonstrate a “serious commitment to long-term peace” after recent talks in the Russian capital produced no breakthrough.",["American and Ukrainian representatives","Ukrainian representatives"],"reported"),
(S2,"Ukraine’s energy ministry said facilities across eight regions were struck on Saturday, triggering widespread outages.",["Ukraine’s energy ministry","energy ministry"],"org"),
(S2,"President Volodymyr Zelensky stated that the Fastiv strike had been \"meaningless from a military point of view, and the Russians could not have been unaware of this\".",ZE,"reported"),
(S2,"The UN’s nuclear watchdog also confirmed that the Russian-controlled Zaporizhzhia nuclear plant temporarily lost all external power overnight — the 11th time since the full-scale invasion.",["UN’s nuclear watchdog","UN"],"org"),
(S2,"In Florida, U.S. special envoy Steve Witkoff released a statement saying two days of talks with Ukraine’s national security chief Rustem Umerov had been \"constructive\".",["Steve Witkoff"],"reported"),
(S2,"While the Kremlin said \"no compromise\" was reached on the U.S. peace proposal, it claimed the Russian leader was prepared to keep meeting the American side \"as many times as needed\".",["Kremlin"],"org"),
(S2,"Ukrainian officials and several European governments have questioned Moscow’s sincerity.",["Ukrainian officials"],"reported"),
(S2,"Zelensky said on Friday that he wanted \"to obtain full information about what was said in Moscow and what other pretexts Putin has come up with to drag out the war\".",ZE,"reported"),
(S2,"In an interview published Friday, the Russian president warned that Ukrainian forces must fully withdraw from the region this week, saying Russia would otherwise \"liberate these [Donbas] territories by force\".",["the Russian president","Putin"],"description"),
(S2,"Ukraine and several European governments argue that NATO membership — or comprehensive security agreements — is the only reliable way to prevent future Russian aggression.",["Ukraine","Ukraine and several European governments"],"reported"),
(S2,"Moscow strongly rejects this",["Moscow"],"org"),
(S2,"The Kremlin said this NATO question was a central topic in the Moscow discussions.",["Kremlin"],"org"),
(S2,"The U.S. president described the talks as \"reasonably good\", though he cautioned it was too early to draw conclusions since \"it does take two to tango\".",["the U.S. president"],"description"),
(S3,"Ukrainian President Volodymyr Zelenskyy said on X on Saturday that bilateral discussions focused on the “parameters for ending the war, as well as the security conditions required to achieve this”, and that further talks could take place as early as next week.",ZY,"reported"),
(S3,"The talks were attended by Ukraine’s chief negotiator Rustem Umerov and military intelligence head Kyrylo Budanov, and Russian military intelligence and army representatives, according to Zelenskyy.",ZY,"according_to"),
(S3,"A UAE government statement said talks were “constructive and positive”, tackling “outstanding elements” of Washington’s peace framework, with “direct engagement” between Ukraine and Russia, a rare event in the almost four-year-old war triggered by Russia’s full-scale invasion.",["UAE government","UAE","UAE government statement"],"org"),
(S3,"Before the discussions, Kremlin spokesperson Dmitry Peskov said on Friday that Russia had not dropped its insistence on Ukraine withdrawing from its eastern area of Donbas, the industrial heartland consisting of the regions of Donetsk and Luhansk.",["Dmitry Peskov"],"reported"),
(S3,"While Russia controls all of Luhansk, Russian President Vladimir Putin wants Ukraine to surrender the remaining 20 percent it still holds in Donetsk.",["Vladimir Putin"],"reported"),
(S3,"Reporting from Kyiv, Al Jazeera’s Audrey MacAlpine said: “We … know that they were meant to be discussing what to do about the contested areas in Donbas and also about the possibility of a ceasefire on Ukraine’s energy infrastructure.”",["Audrey MacAlpine"],"quote"),
(S3,"On the eve of the second day of talks, Russia targeted Ukraine’s energy infrastructure, cutting off about 1.2 million people from electricity in sub-zero temperatures, according to Ukraine’s Deputy Prime Minister Oleksii Kuleba.",["Oleksii Kuleba"],"according_to"),
(S3,"Kyiv City Military Administration head Tymur Tkachenko said drone attacks on Kyiv killed one person and wounded four others.",["Tymur Tkachenko"],"reported"),
(S3,"Kharkiv regional head Oleh Syniehubov said that drone attacks on Ukraine’s second-largest city wounded 27 people.",["Oleh Syniehubov"],"reported"),
(S3,"Ukrainian Foreign Minister Andrii Sybiha, who was not at the talks, accused Putin of acting “cynically”.",["Andrii Sybiha"],"reported"),
(S3,"“His missiles hit not only our people, but also the negotiation table,” he said.",["Andrii Sybiha"],"pronoun"),
(S3,"Sybiha wrote on X.",["Andrii Sybiha"],"quote"),
(S3,"Kira Rudik, a Ukrainian opposition member of parliament in Kyiv, said on X that the attacks during talks were “not a coincidence”.",["Kira Rudik"],"reported"),
(S3,"“This has been Putin’s strategy many times in the past.",["Kira Rudik"],"quote"),
(S3,"Reporting on the talks, Zelenskyy said on X that he valued “the understanding of the need for American monitoring and oversight of the process of ending the war and ensuring genuine security”.",ZY,"reported"),
(S1,"Zelenskyy, speaking at the Munich Security Conference, expressed frustration that the two sides often “are talking about different things” during negotiations.",ZY,"reported"),
(S1,"He specifically noted a recurring American emphasis on concessions from Ukraine, without a corresponding focus on concessions from Russia.",ZY,"pronoun"),
(S1,"“The Americans often return to the topic of concessions, and too often those concessions are discussed only in the context of Ukraine, not Russia,” Zelenskyy said.",ZY,"quote"),
(S1,"Rubio echoed the skepticism, stating, “We don’t know if the Russians are serious about ending the war,” and adding that the US would “continue to test it.”",["Marco Rubio"],"quote"),
(S1,"The latest violence included a Russian drone strike in the Black Sea port city of Odesa, Ukraine, which killed an elderly woman, Ukraine’s State Emergency Service reported.",["Ukraine’s State Emergency Service","State Emergency Service"],"org"),
(S1,"Simultaneously, a civilian was killed in a Ukrainian drone strike on a car in the Russian border region of Bryansk, according to regional Governor Alexander Bogomaz.",["Alexander Bogomaz"],"according_to"),
(S1,"These attacks followed a Ukrainian missile strike on the Russian city of Belgorod on Friday, which resulted in two deaths and five injuries, as reported by regional Governor Vyacheslav Gladkov.",["Vyacheslav Gladkov"],"according_to"),
(S1,"The renewed round of US-brokered talks is scheduled for Tuesday and Wednesday, Kremlin spokesperson Dmitry Peskov confirmed.",["Dmitry Peskov"],"reported"),
(S1,"NATO Secretary-General Mark Rutte, also at the Munich Security Conference, stated that Russia is currently suffering “crazy losses” in Ukraine, estimating approximately 65,000 soldiers killed on the battlefield in the last two months.",["Mark Rutte"],"reported"),
(S1,"Rutte also expressed confidence in NATO’s ability to defend against a potential Russian attack, stating, “We will win every fight with Russia if they attack us now.”",["Mark Rutte"],"quote"),
(S1,"Zelenskyy has previously stated that the US has set a June deadline for reaching a deal, though past ultimatums have failed to produce a breakthrough.",ZY,"reported"),
(S1,"Zelenskyy reported that Russia launched over 6,000 drone attacks against Ukraine in January alone, while also asserting that Ukraine will soon be able to produce enough interceptors to neutralize Russia’s Iranian-made Shahed drones.",ZY,"reported"),
(S1,"He also highlighted the widespread damage to Ukraine’s power plants due to Russian attacks.",ZY,"pronoun"),
(S1,"Ukrainian member of parliament Oleksiy Goncharenko accused Moscow of waging “energy terror” by targeting electricity facilities during the winter months.",["Oleksiy Goncharenko"],"reported"),
(S1,"you’re just freezing and that is awful,” Goncharenko said.",["Oleksiy Goncharenko"],"quote"),
(S1,"He called for increased pressure on Russia from the United States to ensure meaningful negotiations.",["Oleksiy Goncharenko"],"pronoun"),
(S4,"Zelensky hopes for security guarantees plan in looming US talks",ZE,"headline"),
(S4,"Ukrainian President Volodymyr Zelensky has expressed cautious optimism regarding potential security agreements with the United States, anticipated to be finalized during upcoming World Economic Forum negotiations in Davos.",ZE,"reported"),
(S4,"The Ukrainian leader revealed that diplomatic teams are en route to Washington for conclusive talks, stating that while Kyiv considers its preparatory work complete, American consensus remains essential for ratification.",ZE,"description"),
(S4,"Zelensky emphasized that such guarantees are indispensable for deterring Moscow from repeating invasion attempts.",ZE,"reported"),
(S4,"Zelensky disclosed that several air defense units had completely exhausted their missile inventories, though a newly delivered supply package has temporarily alleviated the crisis.",ZE,"reported"),
(S4,"The president acknowledged the tremendous human cost underlying each military shipment, noting that assistance arrives ‘through effort, blood, and people’s lives.’",ZE,"description"),
(S4,"The Kremlin persists in claiming its strikes exclusively target military infrastructure, despite overwhelming evidence of civilian infrastructure destruction.",["Kremlin"],"org"),
(S4,"Ukrainian Energy Minister Denys Shmygal characterized Russia’s strategy as ‘energy terror,’",["Denys Shmygal"],"reported"),
]
W1=W+"w1_grain.txt"
W2=W+"w2_summit.txt"
W3=W+"w3_energy.txt"
W4=W+"w4_talks.txt"
written = [
(W1,"Grain corridor must stay open, says Turkish foreign minister",["Turkish foreign minister","Hakan Fidan"],"headline"),
(W1,"Turkey will keep pressing both sides to let grain ships leave Black Sea ports, Turkish Foreign Minister Hakan Fidan said on Tuesday.",["Hakan Fidan"],"reported"),
(W1,"“Hunger cannot be a weapon in this war,” Fidan told reporters in Ankara after meeting UN officials.",["Hakan Fidan"],"quote"),
(W1,"He added that Ankara had offered to host technical talks on the safety of shipping lanes.",["Hakan Fidan"],"pronoun"),
(W1,"The Kremlin said it saw no reason to resume the deal while Western sanctions on Russian fertiliser exports remained in place.",["Kremlin"],"org"),
(W1,"Kremlin spokesperson Dmitry Peskov insisted that Moscow had “fulfilled every obligation” under the earlier agreement.",["Dmitry Peskov"],"reported"),
(W1,"According to the European Commission, food prices in North Africa rose by 12 percent in the months after the deal collapsed.",["European Commission"],"according_to"),
(W1,"The Turkish minister warned that a new collapse would hit the poorest countries first.",["Hakan Fidan"],"description"),
(W1,"Ukrainian Agriculture Minister Mykola Solskyi argued that the country could export through its own corridor without Russian consent.",["Mykola Solskyi"],"reported"),
(W1,"“We have shown that ships can sail safely,” Solskyi said.",["Mykola Solskyi"],"quote"),
(W1,"“The insurers are coming back, and so are the traders.”",["Mykola Solskyi"],"quote"),
(W1,"The Ukrainian minister also urged European partners to remove the remaining bans on Ukrainian grain imports.",["Mykola Solskyi"],"description"),
(W2,"Macron: Europe must be ready to defend itself",["Emmanuel Macron"],"headline"),
(W2,"French President Emmanuel Macron called on European leaders to spend more on their own defence, warning that the continent could no longer rely on others.",["Emmanuel Macron"],"reported"),
(W2,"“Europe is mortal, it can die,” Macron said in a speech at the Sorbonne.",["Emmanuel Macron"],"quote"),
(W2,"The French president said a common European air-defence shield should be built within five years.",["Emmanuel Macron"],"description"),
(W2,"He also claimed that Russia would not stop at Ukraine if it was allowed to win.",["Emmanuel Macron"],"pronoun"),
(W2,"German Chancellor Olaf Scholz was more cautious, telling journalists that NATO remained the basis of European security.",["Olaf Scholz"],"reported"),
(W2,"The chancellor noted that Germany had already become the second-largest supplier of weapons to Ukraine.",["Olaf Scholz"],"description"),
(W2,"Polish Prime Minister Donald Tusk wrote on X: “Our security is not a cost, it is an investment.”",["Donald Tusk"],"quote"),
(W2,"The White House said it welcomed European efforts to share the burden of defence.",["White House"],"org"),
(W2,"US Secretary of State Antony Blinken told a press conference in Brussels that Washington would stand by its allies.",["Antony Blinken"],"reported"),
(W2,"“Our commitment to Article 5 is ironclad,” the secretary of state said.",["Antony Blinken"],"description"),
(W2,"Hungary’s government criticised the plans as a step towards a European army.",["Hungary’s government","Hungary"],"org"),
(W2,"Prime Minister Viktor Orbán accused Brussels of dragging the continent into war, according to state media.",["Viktor Orbán"],"reported"),
(W3,"Ukraine’s largest private energy company DTEK said on Sunday that three of its thermal power plants had been seriously damaged in overnight attacks.",["DTEK"],"org"),
(W3,"“The equipment that was destroyed cannot be replaced quickly,” DTEK chief executive Maxim Timchenko said in a statement.",["Maxim Timchenko"],"quote"),
(W3,"He estimated that repairs would take months.",["Maxim Timchenko"],"pronoun"),
(W3,"The Ukrainian energy ministry reported that more than 800,000 households in the Kharkiv region were without power.",["Ukrainian energy ministry","energy ministry"],"org"),
(W3,"Ukrenergo, the national grid operator, urged consumers to limit the use of electrical appliances during evening peak hours.",["Ukrenergo"],"org"),
(W3,"The head of the International Atomic Energy Agency, Rafael Grossi, warned that the attacks on the grid put nuclear safety at risk.",["Rafael Grossi"],"reported"),
(W3,"The IAEA chief stressed that the Zaporizhzhia plant depended on a single external power line.",["Rafael Grossi"],"description"),
(W3,"Kharkiv Mayor Ihor Terekhov told local television that the city had switched to mobile generators for its water supply.",["Ihor Terekhov"],"reported"),
(W3,"“We will not let the city freeze,” the mayor said.",["Ihor Terekhov"],"description"),
(W3,"The Russian defence ministry claimed that its forces had struck “energy facilities supporting the military-industrial complex”.",["Russian defence ministry","defence ministry"],"org"),
(W3,"Ukraine’s President Volodymyr Zelensky appealed to partners for more Patriot systems.",ZE,"reported"),
(W3,"The Ukrainian leader said that seven additional batteries would protect the main cities.",ZE,"description"),
(W4,"Prisoner swap agreed in Istanbul, says Ukrainian negotiator",["Ukrainian negotiator","Rustem Umerov"],"headline"),
(W4,"Ukraine and Russia agreed to exchange 1,000 prisoners of war each, Ukraine’s Defence Minister Rustem Umerov said after the talks in Istanbul.",UM,"reported"),
(W4,"The Russian delegation was led by presidential aide Vladimir Medinsky, who told reporters that Moscow was “satisfied with the results”.",["Vladimir Medinsky"],"reported"),
(W4,"Medinsky said Russia had proposed a ceasefire of two or three days in some areas of the front to collect the bodies of fallen soldiers.",["Vladimir Medinsky"],"reported"),
(W4,"Ukrainian officials dismissed the offer as a stunt.",["Ukrainian officials"],"org"),
(W4,"“This is not a ceasefire, it is theatre,” a senior official in Zelensky’s office told the BBC.",["a senior official in Zelensky’s office","senior official"],"quote"),
(W4,"Turkish President Recep Tayyip Erdogan, who hosted the meeting, praised both delegations for their “constructive attitude”.",["Recep Tayyip Erdogan"],"reported"),
(W4,"Speaking in Rome, Pope Leo offered the Vatican as a venue for the next round of negotiations.",["Pope Leo"],"reported"),
(W4,"The pontiff said that the Church was ready to “help the enemies meet and look each other in the eye”.",["Pope Leo"],"description"),
(W4,"European Commission President Ursula von der Leyen welcomed the prisoner exchange but said pressure on Moscow had to continue.",["Ursula von der Leyen"],"reported"),
(W4,"She announced that a new package of sanctions targeting Russia’s shadow fleet would be proposed next week.",["Ursula von der Leyen"],"pronoun"),
(W4,"The Kremlin rejected any link between the talks and the new sanctions.",["Kremlin"],"org"),
]
F1=W+"f1_baltic.txt"
F2=W+"f2_aid.txt"
fresh = [
(F1,"Baltic states demand faster air-defence deliveries",["Baltic states"],"headline"),
(F1,"Estonia’s Prime Minister Kristen Michal said on Thursday that Europe was “running out of time” to protect its eastern flank.",["Kristen Michal"],"reported"),
(F1,"“Every week of delay is a week the Russian army uses to rebuild,” Michal told a news conference in Tallinn.",["Kristen Michal"],"quote"),
(F1,"He said his government would spend five percent of GDP on defence from next year.",["Kristen Michal"],"pronoun"),
(F1,"Lithuanian President Gitanas Nausėda echoed the warning in a speech to parliament in Vilnius.",["Gitanas Nausėda"],"reported"),
(F1,"The Lithuanian president argued that the alliance needed a permanent air-defence mission over the Baltic region.",["Gitanas Nausėda"],"description"),
(F1,"NATO’s military committee confirmed that additional fighter jets would be deployed to Ämari air base.",["NATO’s military committee","military committee"],"org"),
(F1,"Russia’s foreign ministry described the deployment as “a provocation”, according to the state news agency TASS.",["Russia’s foreign ministry","foreign ministry"],"org"),
(F1,"Foreign ministry spokeswoman Maria Zakharova accused the Baltic governments of “whipping up hysteria”.",["Maria Zakharova"],"reported"),
(F1,"She added that Moscow would respond “in a manner it sees fit”.",["Maria Zakharova"],"pronoun"),
(F1,"Latvia’s defence ministry said a drone had crashed in the east of the country overnight.",["Latvia’s defence ministry","defence ministry"],"org"),
(F2,"Congress deadlock threatens Ukraine aid, warns Pentagon chief",["Pentagon chief","Pete Hegseth"],"headline"),
(F2,"US Defence Secretary Pete Hegseth warned lawmakers that stocks of artillery shells for Ukraine would run out by the summer.",["Pete Hegseth"],"reported"),
(F2,"“We are not going to be able to keep up the pace without new money,” Hegseth said at a Senate hearing.",["Pete Hegseth"],"quote"),
(F2,"Republican Senator Lindsey Graham disagreed, telling reporters that Europe had to carry a bigger share.",["Lindsey Graham"],"reported"),
(F2,"The senator said he would support a loan to Kyiv rather than a grant.",["Lindsey Graham"],"description"),
(F2,"The Pentagon said a new package of Patriot interceptors had already been approved.",["Pentagon"],"org"),
(F2,"Ukrainian Foreign Minister Andrii Sybiha thanked Washington for the decision.",["Andrii Sybiha"],"reported"),
(F2,"“Every interceptor saves lives,” the minister wrote on X.",["Andrii Sybiha"],"description"),
(F2,"According to a senior Ukrainian military official, the shortage of shells has already forced units to ration fire along the eastern front.",["senior Ukrainian military official"],"according_to"),
(F2,"Germany’s defence minister Boris Pistorius announced that Berlin would finance a further 300,000 shells.",["Boris Pistorius"],"reported"),
(F2,"Pistorius said European production had doubled since 2023.",["Boris Pistorius"],"reported"),
(F2,"“We are finally catching up,” he said.",["Boris Pistorius"],"pronoun"),
]
root=pathlib.Path(__file__).resolve().parents[1]
with open(root/"benchmarks/holders_gold.jsonl","w") as f:
    for split, rows in (("seed", items), ("written", written), ("fresh", fresh)):
        for path, ev, holder, kind in rows:
            text=(root/path).read_text()
            m=re.search(r"\s+".join(re.escape(w) for w in ev.split()), text)
            assert m, (path, ev)
            ev=m.group(0)  # the document's own characters (no-break spaces and all)
            f.write(json.dumps({"file": path, "evidence": ev, "holder": holder, "kind": kind, "split": split}, ensure_ascii=False)+"\n")
print(len(items), len(written), len(fresh))
