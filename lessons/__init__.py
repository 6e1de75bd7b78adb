"""The curriculum: lesson modules as files and the lesson engine (the curriculum issue)."""
