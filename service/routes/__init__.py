"""One router per resource; routes only translate HTTP to calls on the service layer and back."""
