-- 010: the language of the page a subscription was made from, in which its mails are written (a language code of core/i18n/po; NULL: English, as every subscription before this was)
ALTER TABLE subscriptions ADD COLUMN language TEXT;
