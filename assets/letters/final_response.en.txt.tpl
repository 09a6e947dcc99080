{{COMPANY}}
{{LETTER_DATE}}

Our reference: {{REFERENCE}}

{{#NAMED}}Dear {{NAME}},{{/NAMED}}{{#UNNAMED}}Dear customer,{{/UNNAMED}}

OUR FINAL RESPONSE TO YOUR COMPLAINT

Thank you for telling us about your experience at our {{STORE}} store on {{COMPLAINED_ON}}. We are sorry that you had reason to complain. This letter is our final response to your complaint.

WHAT YOU TOLD US

{{DESCRIPTION}}

{{#WANTED_REFUND}}You asked for a refund.
{{/WANTED_REFUND}}{{#WANTED_REPLACEMENT}}You asked for a replacement.
{{/WANTED_REPLACEMENT}}{{#WANTED_REPAIR}}You asked for a repair.
{{/WANTED_REPAIR}}{{#WANTED_APOLOGY}}You asked for an apology.
{{/WANTED_APOLOGY}}{{#WANTED_EXPLANATION}}You asked for an explanation.
{{/WANTED_EXPLANATION}}{{#WANTED_COMPENSATION}}You asked for compensation.
{{/WANTED_COMPENSATION}}
WHAT WE FOUND

{{OUTCOME}}

WHAT WE ARE DOING ABOUT IT

{{#REMEDIES}}{{#REMEDY}}- {{#REFUND}}A refund{{#WITH_AMOUNT}} of {{AMOUNT}}{{/WITH_AMOUNT}}{{/REFUND}}{{#REPLACEMENT}}A replacement{{/REPLACEMENT}}{{#REPAIR}}A repair{{/REPAIR}}{{#PRICE_REDUCTION}}A price reduction{{#WITH_AMOUNT}} of {{AMOUNT}}{{/WITH_AMOUNT}}{{/PRICE_REDUCTION}}{{#GOODWILL}}A goodwill payment of {{AMOUNT}}{{/GOODWILL}}{{#APOLOGY}}Our apology{{/APOLOGY}}{{#EXPLANATION}}An explanation of what happened, as set out above{{/EXPLANATION}}
{{/REMEDY}}{{/REMEDIES}}{{#NO_REMEDY}}We are not offering anything further.
{{/NO_REMEDY}}
IF YOU ARE STILL UNHAPPY

This is our final response. If you are not satisfied with it, you can refer your complaint to {{ADR_NAME}}, an independent alternative dispute resolution (ADR) service.{{#ADR_WE_TAKE_PART}} We agree to take part in their process.{{/ADR_WE_TAKE_PART}}{{#ADR_WE_DO_NOT_TAKE_PART}} We are not obliged to use their service and have chosen not to, but you may still contact them.{{/ADR_WE_DO_NOT_TAKE_PART}}{{#ADR_WITHIN}} Please contact them within {{MONTHS}} months of the date of this letter.{{/ADR_WITHIN}}
{{#ADR_WEBSITE_GIVEN}}
  Website: {{ADR_WEBSITE}}{{/ADR_WEBSITE_GIVEN}}{{#ADR_PHONE_GIVEN}}
  Telephone: {{ADR_PHONE}}{{/ADR_PHONE_GIVEN}}{{#ADR_EMAIL_GIVEN}}
  Email: {{ADR_EMAIL}}{{/ADR_EMAIL_GIVEN}}

For free, impartial advice about your rights, you can contact the {{ADVICE_NAME}}.
{{#ADVICE_PHONE_GIVEN}}
  Telephone: {{ADVICE_PHONE}}{{/ADVICE_PHONE_GIVEN}}{{#ADVICE_WEBSITE_GIVEN}}
  Website: {{ADVICE_WEBSITE}}{{/ADVICE_WEBSITE_GIVEN}}{{#ADVICE_EMAIL_GIVEN}}
  Email: {{ADVICE_EMAIL}}{{/ADVICE_EMAIL_GIVEN}}

This response does not affect your statutory rights.

Yours sincerely,

{{SIGNATURE}}
{{COMPANY}}
