"""Trade fairs: halls and booths, applications, allocation, floor plans."""
