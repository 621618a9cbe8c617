Hello,

your payment ${payload.payment_id} could not be completed<#if payload.reason??>: ${payload.reason}</#if>. Please check your payment details.
