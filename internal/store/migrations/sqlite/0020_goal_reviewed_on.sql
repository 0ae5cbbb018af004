-- Each goal keeps the date of its latest review, kept by the database itself
-- on every path that adds a review (forms, imports, restores). The tasks page
-- read it through a subquery per goal; on PostgreSQL a plan made while
-- goal_reviews was nearly empty went on scanning the whole table for every
-- goal as it grew (4 ms a tasks page on the national data set).
ALTER TABLE goals ADD COLUMN reviewed_on DATE;
UPDATE goals SET reviewed_on = (SELECT MAX(r.on_date) FROM goal_reviews r WHERE r.goal_id = goals.id);
CREATE TRIGGER goal_reviews_reviewed_on AFTER INSERT ON goal_reviews
BEGIN
    UPDATE goals SET reviewed_on = NEW.on_date
        WHERE id = NEW.goal_id AND (reviewed_on IS NULL OR reviewed_on < NEW.on_date);
END;
