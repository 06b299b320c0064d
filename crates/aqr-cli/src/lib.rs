//! The aqr command-line tool (under construction).
