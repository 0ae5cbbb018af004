-- Her contact details, each with whether it is safe to use (issue 15): an
-- accepted referral used to drop the phone and email she gave.
ALTER TABLE people ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone_safe TEXT NOT NULL DEFAULT 'unknown' CHECK (phone_safe IN ('yes', 'no', 'unknown'));
ALTER TABLE people ADD COLUMN other_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN other_phone_safe TEXT NOT NULL DEFAULT 'unknown' CHECK (other_phone_safe IN ('yes', 'no', 'unknown'));
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN email_safe TEXT NOT NULL DEFAULT 'unknown' CHECK (email_safe IN ('yes', 'no', 'unknown'));
ALTER TABLE people ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN address_safe TEXT NOT NULL DEFAULT 'unknown' CHECK (address_safe IN ('yes', 'no', 'unknown'));

-- Care-experienced becomes yes, no or not known, as the referral asks it.
ALTER TABLE people ALTER COLUMN care_experienced DROP DEFAULT;
ALTER TABLE people ALTER COLUMN care_experienced TYPE TEXT USING CASE WHEN care_experienced THEN 'yes' ELSE 'no' END;
ALTER TABLE people ALTER COLUMN care_experienced SET DEFAULT 'unknown';
ALTER TABLE people ADD CONSTRAINT people_care_experienced CHECK (care_experienced IN ('yes', 'no', 'unknown'));

-- What a referral said of her and her referrer.
ALTER TABLE referrals ADD COLUMN communication_needs TEXT NOT NULL DEFAULT '';

-- Repair the records accepted before this: give back what her newest
-- referral said where her record says nothing. "Not known" comes back for
-- care-experienced only where no referral of hers said otherwise.
UPDATE people SET care_experienced = 'unknown'
WHERE care_experienced = 'no'
  AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.care_experienced = 'unknown')
  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.care_experienced <> 'unknown');
UPDATE people SET
    safe_channels = (SELECT r.safe_channels FROM referrals r WHERE r.person_id = people.id AND r.safe_channels <> '' ORDER BY r.received_at DESC, r.id DESC LIMIT 1)
WHERE safe_channels = '' AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.safe_channels <> '');
-- A phone or email is safe if her record's safe ways include it.
UPDATE people SET
    phone = (SELECT r.phone FROM referrals r WHERE r.person_id = people.id AND r.phone <> '' ORDER BY r.received_at DESC, r.id DESC LIMIT 1),
    phone_safe = CASE WHEN safe_channels = '' THEN 'unknown'
                      WHEN ',' || safe_channels || ',' LIKE '%,phone,%' OR ',' || safe_channels || ',' LIKE '%,text,%' THEN 'yes'
                      ELSE 'no' END
WHERE phone = '' AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.phone <> '');
UPDATE people SET
    email = (SELECT r.email FROM referrals r WHERE r.person_id = people.id AND r.email <> '' ORDER BY r.received_at DESC, r.id DESC LIMIT 1),
    email_safe = CASE WHEN safe_channels = '' THEN 'unknown'
                      WHEN ',' || safe_channels || ',' LIKE '%,email,%' THEN 'yes'
                      ELSE 'no' END
WHERE email = '' AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.email <> '');
UPDATE people SET
    safe_times = (SELECT r.safe_times FROM referrals r WHERE r.person_id = people.id AND r.safe_times <> '' ORDER BY r.received_at DESC, r.id DESC LIMIT 1)
WHERE safe_times = '' AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.safe_times <> '');
UPDATE people SET no_voicemail = TRUE
WHERE NOT no_voicemail AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.no_voicemail);
UPDATE people SET
    via_professional = (SELECT TRIM(r.via_name || ' ' || r.via_contact) FROM referrals r WHERE r.person_id = people.id AND r.via_professional ORDER BY r.received_at DESC, r.id DESC LIMIT 1)
WHERE via_professional = '' AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.via_professional);
