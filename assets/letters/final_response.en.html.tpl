{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Final response to complaint {{REFERENCE}}</title>
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
<p>Our reference: <strong>{{REFERENCE}}</strong></p>
<p>{{#NAMED}}Dear {{NAME}},{{/NAMED}}{{#UNNAMED}}Dear customer,{{/UNNAMED}}</p>
<h1>Our final response to your complaint</h1>
<p>Thank you for telling us about your experience at our {{STORE}} store on {{COMPLAINED_ON}}. We are sorry that you had reason to complain. <span class="final">This letter is our final response to your complaint.</span></p>

<h2>What you told us</h2>
<blockquote>{{#DESCRIPTION_LINE}}{{LINE}}{{#DESCRIPTION_LINE_separator}}<br>
{{/DESCRIPTION_LINE_separator}}{{/DESCRIPTION_LINE}}</blockquote>
{{#WANTED_REFUND}}<p>You asked for a refund.</p>{{/WANTED_REFUND}}{{#WANTED_REPLACEMENT}}<p>You asked for a replacement.</p>{{/WANTED_REPLACEMENT}}{{#WANTED_REPAIR}}<p>You asked for a repair.</p>{{/WANTED_REPAIR}}{{#WANTED_APOLOGY}}<p>You asked for an apology.</p>{{/WANTED_APOLOGY}}{{#WANTED_EXPLANATION}}<p>You asked for an explanation.</p>{{/WANTED_EXPLANATION}}{{#WANTED_COMPENSATION}}<p>You asked for compensation.</p>{{/WANTED_COMPENSATION}}

<h2>What we found</h2>
<p class="found">{{#OUTCOME_LINE}}{{LINE}}{{#OUTCOME_LINE_separator}}<br>
{{/OUTCOME_LINE_separator}}{{/OUTCOME_LINE}}</p>

<h2>What we are doing about it</h2>
{{#REMEDIES}}<ul>
{{#REMEDY}}<li>{{#REFUND}}A refund{{#WITH_AMOUNT}} of {{AMOUNT}}{{/WITH_AMOUNT}}{{/REFUND}}{{#REPLACEMENT}}A replacement{{/REPLACEMENT}}{{#REPAIR}}A repair{{/REPAIR}}{{#PRICE_REDUCTION}}A price reduction{{#WITH_AMOUNT}} of {{AMOUNT}}{{/WITH_AMOUNT}}{{/PRICE_REDUCTION}}{{#GOODWILL}}A goodwill payment of {{AMOUNT}}{{/GOODWILL}}{{#APOLOGY}}Our apology{{/APOLOGY}}{{#EXPLANATION}}An explanation of what happened, as set out above{{/EXPLANATION}}</li>
{{/REMEDY}}</ul>{{/REMEDIES}}{{#NO_REMEDY}}<p>We are not offering anything further.</p>{{/NO_REMEDY}}

<h2>If you are still unhappy</h2>
<p><span class="final">This is our final response.</span> If you are not satisfied with it, you can refer your complaint to {{ADR_NAME}}, an independent alternative dispute resolution (ADR) service.{{#ADR_WE_TAKE_PART}} We agree to take part in their process.{{/ADR_WE_TAKE_PART}}{{#ADR_WE_DO_NOT_TAKE_PART}} We are not obliged to use their service and have chosen not to, but you may still contact them.{{/ADR_WE_DO_NOT_TAKE_PART}}{{#ADR_WITHIN}} Please contact them within {{MONTHS}} months of the date of this letter.{{/ADR_WITHIN}}</p>
<dl>
{{#ADR_WEBSITE_GIVEN}}<dt>Website</dt><dd><a href="{{ADR_WEBSITE}}">{{ADR_WEBSITE}}</a></dd>
{{/ADR_WEBSITE_GIVEN}}{{#ADR_PHONE_GIVEN}}<dt>Telephone</dt><dd>{{ADR_PHONE}}</dd>
{{/ADR_PHONE_GIVEN}}{{#ADR_EMAIL_GIVEN}}<dt>Email</dt><dd>{{ADR_EMAIL}}</dd>
{{/ADR_EMAIL_GIVEN}}</dl>
<p>For free, impartial advice about your rights, you can contact the {{ADVICE_NAME}}.</p>
<dl>
{{#ADVICE_PHONE_GIVEN}}<dt>Telephone</dt><dd>{{ADVICE_PHONE}}</dd>
{{/ADVICE_PHONE_GIVEN}}{{#ADVICE_WEBSITE_GIVEN}}<dt>Website</dt><dd><a href="{{ADVICE_WEBSITE}}">{{ADVICE_WEBSITE}}</a></dd>
{{/ADVICE_WEBSITE_GIVEN}}{{#ADVICE_EMAIL_GIVEN}}<dt>Email</dt><dd>{{ADVICE_EMAIL}}</dd>
{{/ADVICE_EMAIL_GIVEN}}</dl>
<p>This response does not affect your statutory rights.</p>

<p class="signature">Yours sincerely,<br><br>{{SIGNATURE}}<br>{{COMPANY}}</p>
</main>
</body>
</html>
