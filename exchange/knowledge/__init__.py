"""Knowledge sharing: trends of demand and supply, endorsements, follows and saved searches with alerts."""
