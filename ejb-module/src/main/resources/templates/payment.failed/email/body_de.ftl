Guten Tag,

Ihre Zahlung ${payload.payment_id} konnte nicht abgeschlossen werden<#if payload.reason??>: ${payload.reason}</#if>. Bitte prüfen Sie Ihre Zahlungsdaten.
