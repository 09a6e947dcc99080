{{COMPANY}}
{{LETTER_DATE}}

Ein cyfeirnod: {{REFERENCE}}

{{#NAMED}}Annwyl {{NAME}},{{/NAMED}}{{#UNNAMED}}Annwyl gwsmer,{{/UNNAMED}}

EIN HYMATEB TERFYNOL I'CH CWYN

Diolch am roi gwybod i ni am eich profiad yn ein siop {{STORE}} ar {{COMPLAINED_ON}}. Mae'n ddrwg gennym fod gennych reswm i gwyno. Y llythyr hwn yw ein hymateb terfynol i'ch cwyn.

YR HYN A DDYWEDOCH WRTHYM

{{DESCRIPTION}}

{{#WANTED_REFUND}}Gofynnoch am ad-daliad.
{{/WANTED_REFUND}}{{#WANTED_REPLACEMENT}}Gofynnoch am eitem newydd yn lle'r hen un.
{{/WANTED_REPLACEMENT}}{{#WANTED_REPAIR}}Gofynnoch i ni ei drwsio.
{{/WANTED_REPAIR}}{{#WANTED_APOLOGY}}Gofynnoch am ymddiheuriad.
{{/WANTED_APOLOGY}}{{#WANTED_EXPLANATION}}Gofynnoch am esboniad.
{{/WANTED_EXPLANATION}}{{#WANTED_COMPENSATION}}Gofynnoch am iawndal.
{{/WANTED_COMPENSATION}}
YR HYN A GANFUOM

{{OUTCOME}}

YR HYN RYDYM YN EI WNEUD

{{#REMEDIES}}{{#REMEDY}}- {{#REFUND}}Ad-daliad{{#WITH_AMOUNT}} o {{AMOUNT}}{{/WITH_AMOUNT}}{{/REFUND}}{{#REPLACEMENT}}Eitem newydd yn lle'r hen un{{/REPLACEMENT}}{{#REPAIR}}Ei drwsio{{/REPAIR}}{{#PRICE_REDUCTION}}Gostyngiad yn y pris{{#WITH_AMOUNT}} o {{AMOUNT}}{{/WITH_AMOUNT}}{{/PRICE_REDUCTION}}{{#GOODWILL}}Taliad ewyllys da o {{AMOUNT}}{{/GOODWILL}}{{#APOLOGY}}Ein hymddiheuriad{{/APOLOGY}}{{#EXPLANATION}}Esboniad o'r hyn a ddigwyddodd, fel y nodir uchod{{/EXPLANATION}}
{{/REMEDY}}{{/REMEDIES}}{{#NO_REMEDY}}Nid ydym yn cynnig dim byd pellach.
{{/NO_REMEDY}}
OS YDYCH YN DAL YN ANFODLON

Dyma ein hymateb terfynol. Os nad ydych yn fodlon ag ef, gallwch gyfeirio eich cwyn at {{ADR_NAME}}, gwasanaeth annibynnol ar gyfer datrys anghydfodau amgen (ADR).{{#ADR_WE_TAKE_PART}} Rydym yn cytuno i gymryd rhan yn eu proses.{{/ADR_WE_TAKE_PART}}{{#ADR_WE_DO_NOT_TAKE_PART}} Nid oes rheidrwydd arnom i ddefnyddio eu gwasanaeth ac rydym wedi dewis peidio, ond gallwch gysylltu â nhw o hyd.{{/ADR_WE_DO_NOT_TAKE_PART}}{{#ADR_WITHIN}} Cysylltwch â nhw cyn pen {{MONTHS}} mis o ddyddiad y llythyr hwn.{{/ADR_WITHIN}}
{{#ADR_WEBSITE_GIVEN}}
  Gwefan: {{ADR_WEBSITE}}{{/ADR_WEBSITE_GIVEN}}{{#ADR_PHONE_GIVEN}}
  Ffôn: {{ADR_PHONE}}{{/ADR_PHONE_GIVEN}}{{#ADR_EMAIL_GIVEN}}
  E-bost: {{ADR_EMAIL}}{{/ADR_EMAIL_GIVEN}}

I gael cyngor diduedd am ddim am eich hawliau, gallwch gysylltu â {{ADVICE_NAME}}.
{{#ADVICE_PHONE_GIVEN}}
  Ffôn: {{ADVICE_PHONE}}{{/ADVICE_PHONE_GIVEN}}{{#ADVICE_WEBSITE_GIVEN}}
  Gwefan: {{ADVICE_WEBSITE}}{{/ADVICE_WEBSITE_GIVEN}}{{#ADVICE_EMAIL_GIVEN}}
  E-bost: {{ADVICE_EMAIL}}{{/ADVICE_EMAIL_GIVEN}}

Nid yw'r ymateb hwn yn effeithio ar eich hawliau statudol.

Yn gywir,

{{SIGNATURE}}
{{COMPANY}}
