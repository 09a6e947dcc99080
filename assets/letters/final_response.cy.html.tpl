{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="cy">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ymateb terfynol i gwyn {{REFERENCE}}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 12pt;
         line-height: 1.5; color: #0b0c0c; background: #fff; max-width: 42em; margin: 2em auto; padding: 0 1em; }
  .sender { text-align: right; }
  h1 { font-size: 1.3em; margin: 1.5em 0 1em; }
  h2 { font-size: 1.05em; margin: 1.5em 0 0.5em; }
  blockquote { margin: 0.5em 0; padding-left: 1em; border-left: 4px solid #b1b4b6; }
  .final { font-weight: bold; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0.5em 0 0 1em; }
  dt { font-weight: bold; }
  dd { margin: 0; }
  a { color: #1d70b8; }
  @page { size: A4; margin: 2cm; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11pt; }
    a { color: inherit; text-decoration: none; }
    h2, dl, .signature { break-after: avoid; page-break-inside: avoid; }
  }
</style>
</head>
<body>
<main>
<p class="sender">{{COMPANY}}<br>{{LETTER_DATE}}</p>
<p>Ein cyfeirnod: <strong>{{REFERENCE}}</strong></p>
<p>{{#NAMED}}Annwyl {{NAME}},{{/NAMED}}{{#UNNAMED}}Annwyl gwsmer,{{/UNNAMED}}</p>
<h1>Ein hymateb terfynol i'ch cwyn</h1>
<p>Diolch am roi gwybod i ni am eich profiad yn ein siop {{STORE}} ar {{COMPLAINED_ON}}. Mae'n ddrwg gennym fod gennych reswm i gwyno. <span class="final">Y llythyr hwn yw ein hymateb terfynol i'ch cwyn.</span></p>

<h2>Yr hyn a ddywedoch wrthym</h2>
<blockquote>{{#DESCRIPTION_LINE}}{{LINE}}{{#DESCRIPTION_LINE_separator}}<br>
{{/DESCRIPTION_LINE_separator}}{{/DESCRIPTION_LINE}}</blockquote>
{{#WANTED_REFUND}}<p>Gofynnoch am ad-daliad.</p>{{/WANTED_REFUND}}{{#WANTED_REPLACEMENT}}<p>Gofynnoch am eitem newydd yn lle'r hen un.</p>{{/WANTED_REPLACEMENT}}{{#WANTED_REPAIR}}<p>Gofynnoch i ni ei drwsio.</p>{{/WANTED_REPAIR}}{{#WANTED_APOLOGY}}<p>Gofynnoch am ymddiheuriad.</p>{{/WANTED_APOLOGY}}{{#WANTED_EXPLANATION}}<p>Gofynnoch am esboniad.</p>{{/WANTED_EXPLANATION}}{{#WANTED_COMPENSATION}}<p>Gofynnoch am iawndal.</p>{{/WANTED_COMPENSATION}}

<h2>Yr hyn a ganfuom</h2>
<p class="found">{{#OUTCOME_LINE}}{{LINE}}{{#OUTCOME_LINE_separator}}<br>
{{/OUTCOME_LINE_separator}}{{/OUTCOME_LINE}}</p>

<h2>Yr hyn rydym yn ei wneud</h2>
{{#REMEDIES}}<ul>
{{#REMEDY}}<li>{{#REFUND}}Ad-daliad{{#WITH_AMOUNT}} o {{AMOUNT}}{{/WITH_AMOUNT}}{{/REFUND}}{{#REPLACEMENT}}Eitem newydd yn lle'r hen un{{/REPLACEMENT}}{{#REPAIR}}Ei drwsio{{/REPAIR}}{{#PRICE_REDUCTION}}Gostyngiad yn y pris{{#WITH_AMOUNT}} o {{AMOUNT}}{{/WITH_AMOUNT}}{{/PRICE_REDUCTION}}{{#GOODWILL}}Taliad ewyllys da o {{AMOUNT}}{{/GOODWILL}}{{#APOLOGY}}Ein hymddiheuriad{{/APOLOGY}}{{#EXPLANATION}}Esboniad o'r hyn a ddigwyddodd, fel y nodir uchod{{/EXPLANATION}}</li>
{{/REMEDY}}</ul>{{/REMEDIES}}{{#NO_REMEDY}}<p>Nid ydym yn cynnig dim byd pellach.</p>{{/NO_REMEDY}}

<h2>Os ydych yn dal yn anfodlon</h2>
<p><span class="final">Dyma ein hymateb terfynol.</span> Os nad ydych yn fodlon ag ef, gallwch gyfeirio eich cwyn at {{ADR_NAME}}, gwasanaeth annibynnol ar gyfer datrys anghydfodau amgen (ADR).{{#ADR_WE_TAKE_PART}} Rydym yn cytuno i gymryd rhan yn eu proses.{{/ADR_WE_TAKE_PART}}{{#ADR_WE_DO_NOT_TAKE_PART}} Nid oes rheidrwydd arnom i ddefnyddio eu gwasanaeth ac rydym wedi dewis peidio, ond gallwch gysylltu â nhw o hyd.{{/ADR_WE_DO_NOT_TAKE_PART}}{{#ADR_WITHIN}} Cysylltwch â nhw cyn pen {{MONTHS}} mis o ddyddiad y llythyr hwn.{{/ADR_WITHIN}}</p>
<dl>
{{#ADR_WEBSITE_GIVEN}}<dt>Gwefan</dt><dd><a href="{{ADR_WEBSITE}}">{{ADR_WEBSITE}}</a></dd>
{{/ADR_WEBSITE_GIVEN}}{{#ADR_PHONE_GIVEN}}<dt>Ffôn</dt><dd>{{ADR_PHONE}}</dd>
{{/ADR_PHONE_GIVEN}}{{#ADR_EMAIL_GIVEN}}<dt>E-bost</dt><dd>{{ADR_EMAIL}}</dd>
{{/ADR_EMAIL_GIVEN}}</dl>
<p>I gael cyngor diduedd am ddim am eich hawliau, gallwch gysylltu â {{ADVICE_NAME}}.</p>
<dl>
{{#ADVICE_PHONE_GIVEN}}<dt>Ffôn</dt><dd>{{ADVICE_PHONE}}</dd>
{{/ADVICE_PHONE_GIVEN}}{{#ADVICE_WEBSITE_GIVEN}}<dt>Gwefan</dt><dd><a href="{{ADVICE_WEBSITE}}">{{ADVICE_WEBSITE}}</a></dd>
{{/ADVICE_WEBSITE_GIVEN}}{{#ADVICE_EMAIL_GIVEN}}<dt>E-bost</dt><dd>{{ADVICE_EMAIL}}</dd>
{{/ADVICE_EMAIL_GIVEN}}</dl>
<p>Nid yw'r ymateb hwn yn effeithio ar eich hawliau statudol.</p>

<p class="signature">Yn gywir,<br><br>{{SIGNATURE}}<br>{{COMPANY}}</p>
</main>
</body>
</html>
