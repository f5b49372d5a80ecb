"""The student's process (sandboxed): it imports the file under test and the item's observations, and
answers the judge's requests with data. Nothing here decides a grade."""
